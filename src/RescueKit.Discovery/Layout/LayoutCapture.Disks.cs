using RescueKit.Core;
using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

// Disks, partition tables and the block devices stacked on them; blkid probes of each.
public sealed partial class LayoutCapture
{
    // lsblk's "not a block device" / "no such device" exit code (lsblk(8) EXIT STATUS: 32 none of the devices found).
    private const int LsblkNoneFound = 32;

    /// <summary>The host's disks: lsblk's top-level "disk" devices. zram (swap in RAM) and loop devices are not
    /// storage a restore recreates; give loop devices with --device. Nor are drives without a medium: a restore
    /// would stop on them as missing source disks.</summary>
    private List<DiskSource> HostDisks()
    {
        var argv = new[] { "lsblk", "-J", "-b", "-O" };
        var devices = ParseRequired(_runner.Run(argv).StandardOutput, Lsblk.Parse, string.Join(' ', argv));
        return devices.Where(d => d.Type == "disk" && !d.Name.StartsWith("zram", StringComparison.Ordinal) && HoldsMedium(d))
            .Select(d => new DiskSource(d.Path, d, d.Size)).ToList();
    }

    /// <summary>
    /// False for an empty drive: lsblk gives a removable drive without a medium (a card reader, a CD drive) size 0.
    /// A floppy drive (fd0, the legacy controller of QEMU's pc machine and of older servers) is never a disk of the
    /// layout: a restore recreates no floppy, and its driver reports a nominal size even with the drive empty.
    /// </summary>
    private static bool HoldsMedium(LsblkDevice disk) =>
        disk.Size > 0 && !(disk.Name.StartsWith("fd", StringComparison.Ordinal) && disk.Name.Length > 2 && char.IsAsciiDigit(disk.Name[2]));

    /// <summary>A device the capture is limited to: a disk or loop device (lsblk knows it) or a disk image file (lsblk
    /// does not). Messages call it <paramref name="input"/>.</summary>
    private DiskSource ResolveDevice(string device, string input)
    {
        if (!File.Exists(device))
            throw new BadInputException($"{input} '{device}' does not exist: give a disk (/dev/sdb), a loop device or a disk image file");
        var argv = new[] { "lsblk", "-J", "-b", "-O", device };
        var result = _runner.Run(argv, [LsblkNoneFound]);
        if (result.ExitCode == LsblkNoneFound)
        {
            var full = Path.GetFullPath(device);
            return new DiskSource(full, null, new FileInfo(full).Length);
        }
        var disk = ParseRequired(result.StandardOutput, Lsblk.Parse, string.Join(' ', argv)).FirstOrDefault()
                   ?? throw new BadInputException($"{input} '{device}': lsblk does not list it");
        if (disk.Type is not ("disk" or "loop"))
            throw new BadInputException($"{input} '{device}' is a {disk.Type}, not a disk: give the whole disk it is on (lsblk -s {device})");
        return new DiskSource(disk.Path, disk, disk.Size);
    }

    private DiskInfo ReadDisk(DiskSource source, Session session)
    {
        var lsblk = source.Lsblk;
        var nodes = lsblk?.SelfAndDescendants().ToList() ?? [];
        foreach (var n in nodes) session.Add(new Node(n.Path, n.KName, n.MajMin, n.Type, n.Size, n));
        if (lsblk is null) session.Add(new Node(source.Path, null, null, "image", source.Size, null));

        var table = ReadTable(source);
        if (table is not null)
        {
            // An extended partition's node covers its logical partitions; it holds nothing of its own.
            session.Extended.UnionWith(table.Partitions.Where(p => p.Role == "extended").Select(p => p.Device));
            // Partitions without a device node of their own are read through the disk at their offset.
            var nodePaths = nodes.Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var p in table.Partitions.Where(p => !nodePaths.Contains(p.Device) && p.Role != "extended"))
                session.Add(new Node(p.Device, null, null, "part", p.SizeSectors * table.SectorSize, null,
                    source.Path, p.Start * table.SectorSize));
        }
        return new DiskInfo
        {
            Path = source.Path,
            Size = source.Size,
            LogicalSectorSize = lsblk?.LogicalSectorSize ?? table?.SectorSize ?? 512,
            PhysicalSectorSize = lsblk?.PhysicalSectorSize ?? table?.SectorSize ?? 512,
            Model = lsblk?.Model,
            Serial = lsblk?.Serial,
            Wwn = lsblk?.Wwn,
            Transport = lsblk?.Transport,
            TableType = table?.Label,
            TableId = table?.Id,
            FirstLba = table?.FirstLba,
            LastLba = table?.LastLba,
            Partitions = table?.Partitions ?? [],
        };
    }

    /// <summary>
    /// The partition table, or null for a disk without one. A disk that lsblk sees no table on but a whole-disk
    /// signature (an md member, a PV, a filesystem) or holders other than partitions (an md array, a dm device) has none.
    /// Otherwise sfdisk decides: it exits 1 on a disk without a recognised table, an
    /// error only when lsblk says there is one (lsblk leaves pttype empty where udev has not probed, as for loop
    /// devices, so its silence decides nothing).
    /// </summary>
    private SfdiskTable? ReadTable(DiskSource source)
    {
        if (source.Lsblk is { PtType: null } d && (d.FsType is not null || (d.Children.Count > 0 && d.Children.All(c => c.Type != "part"))))
            return null;
        var argv = new[] { "sfdisk", "-J", source.Path };
        var result = _runner.Run(argv, source.Lsblk?.PtType is null ? [1] : null);
        if (result.ExitCode != 0 || result.StandardOutput.Trim().Length == 0) return null;
        return ParseRequired(result.StandardOutput, Sfdisk.Parse, string.Join(' ', argv));
    }

    /// <summary>
    /// blkid for every node. The whole host first in one `blkid -o export` (every device the system knows, from udev
    /// and blkid's cache); then low-level probing (`blkid -p`) of what that did not list and could hold a signature: with
    /// --device every node, for the whole host the disks and partitions nothing is stacked on (unscanned, or never
    /// cached). A partition without a device node is probed at its offset into its disk.
    /// </summary>
    private void ProbeAll(Session session)
    {
        // blkid exits 2 when it finds nothing to report (an empty device, a partition without a signature), and also
        // when it cannot open the device; only then does it say why on stderr.
        const int nothingFound = 2;
        // blkid -p exits 8 when a device carries signatures of more than one kind and will not guess.
        const int ambivalent = 8;
        if (session.WholeHost)
        {
            var all = _runner.Run(["blkid", "-o", "export"], [nothingFound]).StandardOutput;
            foreach (var probe in ParseRequired(all, BlkidExport.Parse, "blkid -o export"))
                if (probe.DevName is { } name && session.Find(name) is { } node) session.Probes[node.Path] = probe;
        }
        foreach (var node in session.Nodes.Values.Where(n => !session.Probes.ContainsKey(n.Path)))
        {
            if (session.WholeHost && node.Container is null &&
                (node.Type is not ("disk" or "part") || node.Lsblk is { Children.Count: > 0 } || session.Extended.Contains(node.Path)))
                continue;
            string[] argv = node.Container is null
                ? ["blkid", "-p", "-o", "export", node.Path]
                : ["blkid", "-p", "-o", "export", "--offset", node.Offset.ToString(), "--size", node.Size.ToString(), node.Container];
            var result = _runner.Run(argv, [nothingFound, ambivalent]);
            if (result.ExitCode == nothingFound && result.StandardError.Trim() is { Length: > 0 } why)
                Note(session, $"blkid cannot read {node.Path} ({why}): what it holds not captured");
            if (result.ExitCode == ambivalent)
                Note(session, $"{node.Path} carries signatures of more than one kind (see wipefs {node.Path}): what it holds not captured");
            var probe = ParseRequired(result.StandardOutput, BlkidExport.Parse, string.Join(' ', argv)).FirstOrDefault();
            if (probe is not null) session.Probes[node.Path] = probe;
        }
    }
}
