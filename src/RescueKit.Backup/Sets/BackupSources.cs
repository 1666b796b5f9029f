using RescueKit.Discovery.Layout;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Backup.Sets;

/// <summary>
/// What this host gives a backup: its layout (layout.json's text), the mounted filesystems to archive (all of them, or
/// those on the given devices) with the ESPs it does not mount, and the active swap files, which are never archived.
/// </summary>
public sealed record BackupSources(string LayoutJson, IReadOnlyList<SourceFilesystem> Filesystems, IReadOnlyList<string> SwapFiles)
{
    /// <param name="devices">Only the filesystems on these devices, their partitions and holders; empty for all.</param>
    /// <param name="deviceInput">What messages call one of <paramref name="devices"/> (the command line: --device).</param>
    public static BackupSources Capture(IReadOnlyList<string> devices, string toolVersion, IToolRunner runner, ILogger log,
        string deviceInput = "device")
    {
        var layout = new LayoutCapture(runner, log).Capture(
            new LayoutCaptureOptions { Devices = devices, ToolVersion = toolVersion, DeviceInput = deviceInput });
        var mounted = FilesystemSelection.Select(MountInfo.Parse(File.ReadAllText(MountInfo.ProcPath)), devices, "/sys/class/block",
            device => layout.Filesystems.FirstOrDefault(f => f.Device == device)?.Uuid, deviceInput);
        var filesystems = mounted.Concat(FilesystemSelection.UnmountedEsps(layout, mounted.Select(f => f.Name))).ToList();
        var swapFiles = File.Exists(ProcSwaps.ProcPath)
            ? ProcSwaps.Parse(File.ReadAllText(ProcSwaps.ProcPath)).Where(s => s.Kind == "file").Select(s => s.Device).ToList()
            : [];
        return new BackupSources(Core.Layout.LayoutJson.Serialize(layout), filesystems, swapFiles);
    }
}
