namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// The PXE tree the boot tests boot: this host's rescue system added twice by the published mkrescue, as alpha and as
/// beta with their own MACs (the second differs in its host name, which its rescue.conf carries), built once per test
/// run into the shared cache. The GRUB image names QEMU's TFTP server 10.0.2.2 (--tftp-server), as it would name the
/// boot server under proxyDHCP.
/// </summary>
public static class PxeTreeBootFixture
{
    public const string HostA = "alpha";
    public const string MacA = "52:54:00:aa:00:01";
    public const string HostB = "beta";
    public const string MacB = "52:54:00:bb:00:02";

    /// <summary>The boot server the tree names: its GRUB image's TFTP server and, with <see cref="HttpPort"/>, the HTTP
    /// URL of its iPXE scripts. QEMU's user network puts the host there; PxeLan gives its bridge this address.</summary>
    public const string BootServer = "10.0.2.2";

    public const int HttpPort = 8080;

    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Root => Built.Value;

    private static string Build()
    {
        var root = Path.Combine(RepoPaths.VmCache, "pxe-tree");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        foreach (var (host, mac) in new[] { (HostA, MacA), (HostB, MacB) })
        {
            var (exitCode, output) = RescueIsoFixture.RunBinary("mkrescue", "--output", "pxe", "--root", root, "--host-name", host,
                "--mac", mac, "--tftp-server", BootServer, "--http-url", $"http://{BootServer}:{HttpPort}/");
            if (exitCode != 0) Assert.Fail($"mkrescue --output pxe for {host} failed with exit code {exitCode}:\n{output}");
        }
        return root;
    }
}
