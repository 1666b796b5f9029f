using RescueKit.Host.Native;
using RescueKit.Host;
using RescueKit.Core;
using RescueKit.Restore.Modes;
using Serilog;

namespace RescueKit.Restore.Discs;

/// <summary>
/// The rescue system's CD/DVD/BD drives (/sys/block/sr*): a disc is mounted read-only as ISO 9660 on
/// <see cref="RescuePaths.DiscDrives"/>/srN, unless init has it mounted already (the disc it booted from).
/// </summary>
public sealed class OpticalDrives(IToolRunner runner, ILogger log, string mountsFile = "/proc/mounts") : IDiscDrives
{
    /// <summary>How long a disc just inserted gets to spin up before the drive counts as empty.</summary>
    public static readonly TimeSpan SpinUp = TimeSpan.FromSeconds(20);

    public IReadOnlyList<string> Drives() =>
        Directory.Exists("/sys/block")
            ? Directory.EnumerateDirectories("/sys/block", "sr*").Select(d => "/dev/" + Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList()
            : [];

    public string MountPoint(string drive) => Path.Combine(RescuePaths.DiscDrives, Path.GetFileName(drive));

    public string? Open(string drive, bool wait)
    {
        if (MountsOf(drive).FirstOrDefault() is { } mounted) return mounted;
        var directory = MountPoint(drive);
        Directory.CreateDirectory(directory);
        var deadline = DateTime.UtcNow + (wait ? SpinUp : TimeSpan.Zero);
        while (true)
        {
            try
            {
                runner.Run(["mount", "-t", "iso9660", "-o", "ro", drive, directory]);
                return directory;
            }
            catch (ToolFailedException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1000);
            }
            catch (ToolFailedException e)
            {
                log.Debug("{Drive} holds no readable disc: {Reason}", drive, e.Message);
                return null;
            }
        }
    }

    public void Release(string drive)
    {
        foreach (var directory in MountsOf(drive))
        {
            if (directory == RescuePaths.RescueMediaMount) RescueMediaInMemory.Keep(runner, log);
            else runner.Run(["umount", directory]);
        }
        if (!CdromTray.Eject(drive)) log.Debug("The tray of {Drive} did not open", drive);
    }

    private IReadOnlyList<string> MountsOf(string drive) =>
        File.ReadLines(mountsFile).Select(l => l.Split(' ')).Where(f => f.Length > 2 && f[0] == drive)
            .Select(f => TargetMounts.Unescape(f[1])).Distinct().ToList();
}
