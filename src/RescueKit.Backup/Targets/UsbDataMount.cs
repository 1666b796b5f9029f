using RescueKit.Core;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Backup.Targets;

/// <summary>
/// The data partition of a RescueKit USB stick (`--to usb:LABEL`, docs/usb.md), found by its file system label with
/// blkid and mounted read-write on a private mount point for one backup, unmounted (and so flushed) after.
/// </summary>
internal sealed class UsbDataMount : IDisposable
{
    private readonly IToolRunner _runner;
    private readonly ILogger _log;
    private bool _disposed;

    private UsbDataMount(string label, string device, string path, IToolRunner runner, ILogger log)
    {
        Label = label;
        Device = device;
        Path = path;
        _runner = runner;
        _log = log;
    }

    public string Label { get; }
    public string Device { get; }
    public string Path { get; }

    /// <summary>Finds the one partition labelled <paramref name="label"/> and mounts it read-write.</summary>
    public static UsbDataMount Mount(string label, IToolRunner runner, ILogger log, CancellationToken cancellationToken)
    {
        // -t LABEL= lists every match (blkid -L stops at the first): two sticks plugged in must not pick one at random.
        var found = runner.Run(["blkid", "-c", "/dev/null", "-o", "device", "-t", $"LABEL={label}"], allowedExitCodes: [0, 2],
            cancellationToken: cancellationToken);
        var devices = found.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (devices.Length == 0)
            throw new BadInputException($"no partition is labelled {label}: plug in the RescueKit stick (made by 'rescuekit mkrescue --output usb'), " +
                                        "or name its data partition's label with --to usb:LABEL");
        if (devices.Length > 1)
            throw new BadInputException($"{devices.Length} partitions are labelled {label} ({string.Join(", ", devices)}): " +
                                        "plug in only one RescueKit stick, or relabel one (e2label)");
        return MountDevice(label, devices[0], [], runner, log, cancellationToken);
    }

    /// <summary>Mounts the data partition at its byte range of a disk or image through a loop device of that range.</summary>
    public static UsbDataMount MountAt(UsbDataPartition partition, IToolRunner runner, ILogger log, CancellationToken cancellationToken) =>
        MountDevice(partition.Label, partition.Disk,
            [FormattableString.Invariant($"loop,offset={partition.Offset},sizelimit={partition.Bytes}")], runner, log, cancellationToken);

    private static UsbDataMount MountDevice(string label, string device, IReadOnlyList<string> options, IToolRunner runner, ILogger log,
        CancellationToken cancellationToken)
    {
        var path = PrivateMountPoint.Create("usb", $"usb:{label} ({device})");
        try
        {
            runner.Run(["mount", "-t", "ext4", "-o", string.Join(',', ["rw", "nosuid", "nodev", .. options]), device, path],
                cancellationToken: cancellationToken);
        }
        catch (ToolFailedException e)
        {
            PrivateMountPoint.Remove(path, log);
            throw new RescueKitException($"cannot mount {device} (label {label}) as ext4: {e.Result.StandardError.Trim()}: " +
                                         "check it with e2fsck, or make the stick anew with 'rescuekit mkrescue --output usb --wipe'", ExitCodes.Failed, e);
        }
        log.Information("Mounted {Device} (label {Label}) on {MountPoint}", device, label, path);
        return new UsbDataMount(label, device, path, runner, log);
    }

    /// <summary>A path below the mount point as the user knows it: usb:LABEL/host/id.</summary>
    public string Describe(string localPath) => PrivateMountPoint.Describe(Path, localPath, UsbDataLabel.Scheme + Label);

    /// <summary>The same error with the mount point in its message replaced by usb:LABEL.</summary>
    public RescueKitException Translate(RescueKitException e) => PrivateMountPoint.Translate(Path, e, UsbDataLabel.Scheme + Label);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        PrivateMountPoint.Unmount(Path, _runner, _log);
    }
}
