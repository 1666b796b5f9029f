using System.Diagnostics;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// A debootstrapped Debian root with the packages a rescue build needs, made once and cached in
/// /var/cache/rescuekit-tests by tests/debian-root.sh (bench/mkrescue.sh uses the same script, so both find the same
/// root under the same key), and commands run chrooted in it with the published rescuekit copied in, as a user of that
/// Debian release would run it.
/// </summary>
internal sealed class DebianRoot
{
    private static readonly string Script = System.IO.Path.Combine(RepoPaths.Root, "tests", "debian-root.sh");

    private static readonly Lazy<DebianRoot> TrixieRoot = new(() => Make("trixie"), LazyThreadSafetyMode.ExecutionAndPublication);

    private DebianRoot(string suite, string path)
    {
        Suite = suite;
        Path = path;
    }

    /// <summary>Debian 13: kernel 6.12 with every module .ko.xz, kmod 34, BusyBox 1.37, merged /usr.</summary>
    public static DebianRoot Trixie => TrixieRoot.Value;

    public string Suite { get; }

    /// <summary>The root's directory on the host.</summary>
    public string Path { get; }

    /// <summary>Where <paramref name="pathInRoot"/> (absolute, as the chrooted programs see it) is on the host.</summary>
    public string HostPath(string pathInRoot) => System.IO.Path.Combine(Path, pathInRoot.TrimStart('/'));

    /// <summary>
    /// Runs <paramref name="command"/> chrooted in the root with /proc, /sys, /dev and /dev/pts of the host bound
    /// (tests/debian-root.sh mounts them in a mount namespace of its own, so they go away with the command however it
    /// ends) and out/publish/rescuekit as /usr/local/bin/rescuekit.
    /// </summary>
    public ExternalTool.Result Run(IEnumerable<string> command, int timeoutSeconds = 600) =>
        ExternalTool.Run(Script, "bash", [Suite, "chroot", RescueIsoFixture.Binary, .. command], timeoutSeconds: timeoutSeconds);

    private static DebianRoot Make(string suite)
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Fail($"the Debian {suite} root tests need root: debootstrap, chroot and bind mounts (run them as root)");
        ExternalTool.Require("debootstrap", "debootstrap");
        var clock = Stopwatch.StartNew();
        // A first build downloads and unpacks a few hundred packages: minutes, more on a loaded machine.
        var r = ExternalTool.Run(Script, "bash", [suite], timeoutSeconds: 3600);
        if (r.ExitCode != 0) Assert.Fail($"tests/debian-root.sh {suite} exited {r.ExitCode}:\n{r.Stderr}");
        var path = r.Stdout.Trim();
        TestContext.Progress.WriteLine($"Debian {suite} root: {path} (ready in {clock.Elapsed.TotalSeconds:F0} s)");
        return new DebianRoot(suite, path);
    }
}
