using System.Text.Json;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// The source machine's backup served over HTTP as a site would serve it for a network restore: the backup directory
/// copied off its ISO into <c>WORK/backups/HOST/ID/</c> and `rescuekit serve --backups` (<see cref="RescuekitServe"/>,
/// the published binary) on the host's loopback. A guest reaches it at
/// <see cref="VmLab.HostServiceAddress"/>:<see cref="GuestPort"/> through QEMU's restricted user network
/// (<see cref="Network"/>), which reaches nothing else. Disposing stops the server and writes its log to serve.log in
/// the work directory.
/// </summary>
internal sealed class ServedBackup : IDisposable
{
    public const int GuestPort = 8080;
    private readonly RescuekitServe _serve;
    private readonly string _work;

    private ServedBackup(RescuekitServe serve, string work, string path)
    {
        _serve = serve;
        _work = work;
        Path = path;
    }

    /// <summary>The backup's path on the server: /backups/HOST/ID/.</summary>
    public string Path { get; }

    /// <summary>The backup's URL as the guest reaches it, for rk.source=.</summary>
    public string GuestUrl => $"http://{VmLab.HostServiceAddress}:{GuestPort}{Path}";

    public static ServedBackup Start(SourceBackup backup, string work)
    {
        var manifest = System.IO.Path.Combine(work, "manifest.json");
        ExternalTool.RunOk("xorriso", "xorriso", ["-osirrox", "on", "-indev", backup.Iso, "-extract", "/backup/manifest.json", manifest]);
        string host, id;
        using (var json = JsonDocument.Parse(File.ReadAllText(manifest)))
            (host, id) = (json.RootElement.GetProperty("host").GetString()!, json.RootElement.GetProperty("id").GetString()!);
        var backups = System.IO.Path.Combine(work, "backups");
        var directory = System.IO.Path.Combine(backups, host, id);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(directory)!);
        ExternalTool.RunOk("xorriso", "xorriso", ["-osirrox", "on", "-indev", backup.Iso, "-extract", "/backup", directory]);
        var root = Directory.CreateDirectory(System.IO.Path.Combine(work, "served-root")).FullName;
        var path = $"/backups/{Uri.EscapeDataString(host)}/{Uri.EscapeDataString(id)}/";
        return new ServedBackup(RescuekitServe.Start(RescueIsoFixture.Binary, root, backups, path + "manifest.json"), work, path);
    }

    /// <summary>QEMU's restricted user network with <see cref="GuestUrl"/>'s port handed to serve (busybox nc per connection).</summary>
    public void Network(QemuMachineBuilder builder) =>
        builder.WithUserNetwork(guestForwards: [new GuestForward(VmLab.HostServiceAddress, GuestPort,
            $"{InitramfsStaging.Busybox} nc 127.0.0.1 {_serve.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}")]);

    public void Dispose()
    {
        _serve.Dispose();
        File.WriteAllText(System.IO.Path.Combine(_work, "serve.log"), _serve.Log);
    }
}
