using RescueKit.Core;
using RescueKit.Formats.PartitionTables;
using RescueKit.Host.Native;

namespace RescueKit.Media.Usb;

/// <summary>
/// What is on a USB target now, and whether `--output usb` may write it (docs/usb.md): a RescueKit stick is updated in
/// place (not with another --size), a blank disk or a new image is written, anything else only with --wipe.
/// </summary>
public sealed record UsbStickProbe(string What, long Bytes, GptDisk? Table, (UsbLayout Layout, int Active)? Stick)
{
    /// <summary>Reads the target's partition table; throws <see cref="BadInputException"/> for what must not be written.</summary>
    public static UsbStickProbe Probe(UsbTarget target)
    {
        var what = target.IsDevice ? $"{target.DeviceOption} {target.Path}" : $"--image {target.Path}";
        var exists = target.IsDevice || File.Exists(target.Path);
        var current = !exists ? 0 : target.IsDevice ? DeviceBytes(target.Path) : new FileInfo(target.Path).Length;
        var bytes = target.IsDevice ? current : target.ImageBytes ?? current;
        if (bytes == 0)
            throw new BadInputException($"{what} does not exist or is empty: give its size with --size SIZE (e.g. --size 2G)");
        if (current == 0 || target.Wipe) return new UsbStickProbe(what, bytes, null, null);

        using var disk = new FileStream(target.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var table = GptDisk.Read(disk, current);
        if (table is not null && UsbLayout.Recognise(table, current) is { } stick)
        {
            if (target.ImageBytes is { } asked && asked != current)
                throw new BadInputException($"{what} is a RescueKit stick of {current} bytes, not --size {asked}: " +
                                            "leave --size out to update it, or give --wipe to make it anew (its backups are lost)");
            return new UsbStickProbe(what, current, table, stick);
        }
        var head = new byte[GptDisk.TableBytes + GptDisk.SectorSize];
        disk.Seek(0, SeekOrigin.Begin);
        disk.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (head.Any(b => b != 0))
            throw new BadInputException($"{what} is not a RescueKit stick ({(table is null ? "no GPT" : $"a GPT with {table.Partitions.Count} partitions")}" +
                                        " of other names): give --wipe to overwrite it (everything on it is lost)");
        return new UsbStickProbe(what, bytes, null, null);
    }

    /// <summary>
    /// Where the data partition of the RescueKit stick on <paramref name="target"/> lies (its byte offset and size) and
    /// the disk's size, read from its GPT: what a backup onto a stick just written mounts (docs/usb.md).
    /// </summary>
    public static (long Offset, long Bytes, long DiskBytes) DataPartition(UsbTarget target)
    {
        var probe = Probe(target with { ImageBytes = null, Wipe = false });
        if (probe.Stick is not { } stick)
            throw new RescueKitException($"{probe.What} is not a RescueKit stick after it was written: make it anew", ExitCodes.Failed);
        return (stick.Layout.DataStart, stick.Layout.DataBytes, probe.Bytes);
    }

    /// <summary>A block device's size: st_size is 0 for one, and sysfs gives it in 512-byte units whatever the sector size.</summary>
    private static long DeviceBytes(string device)
    {
        var status = HostTree.Lstat(File.ResolveLinkTarget(device, returnFinalTarget: true)?.FullName ?? device);
        return long.Parse(File.ReadAllText($"/sys/dev/block/{status.RdevMajor}:{status.RdevMinor}/size").Trim(),
            System.Globalization.CultureInfo.InvariantCulture) * 512;
    }
}
