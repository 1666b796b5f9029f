using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

// Filesystems (with their mounts and mkfs features) and swap.
public sealed partial class LayoutCapture
{
    // blkid TYPEs that are containers or swap, not filesystems to mkfs.
    private static readonly HashSet<string> NotFilesystems = new(StringComparer.Ordinal)
    {
        "swap", "crypto_LUKS", "linux_raid_member", "LVM2_member", "ddf_raid_member", "isw_raid_member", "zfs_member",
        "bcache", "BitLocker",
    };

    private List<FilesystemInfo> Filesystems(Session session, IReadOnlyList<MountInfoEntry> mounts)
    {
        var result = new List<FilesystemInfo>();
        foreach (var (node, probe) in session.Probed())
        {
            if (probe.Type is not { } type || NotFilesystems.Contains(type)) continue;
            var path = node.Path;
            var nodeMounts = MountsOf(node, mounts);
            var mount = nodeMounts.FirstOrDefault(m => m.Root == "/") ?? nodeMounts.FirstOrDefault();
            var fs = new FilesystemInfo
            {
                Device = path,
                Type = type,
                Uuid = probe.Uuid,
                Label = probe.Label,
                MountPoint = mount?.MountPoint,
                MountOptions = mount is null ? null : MergeOptions(mount.MountOptions, mount.SuperOptions),
                Size = node.Size,
            };
            result.Add(WithFeatures(session, fs, node, probe, nodeMounts));
        }
        return result;
    }

    /// <summary>The mounts of a node, by device number (mountinfo's major:minor) or by source path (btrfs reports an
    /// anonymous device number). The filesystem's mount is the whole-filesystem one (root "/") when there is one, else
    /// the first (a btrfs mounted only by subvolume).</summary>
    private static List<MountInfoEntry> MountsOf(Node node, IReadOnlyList<MountInfoEntry> mounts) =>
        mounts.Where(m => (node.MajMin is not null && $"{m.Major}:{m.Minor}" == node.MajMin) ||
                          m.Source == node.Path || (node.KName is not null && m.Source == "/dev/" + node.KName)).ToList();

    /// <summary>Per-mount then superblock options, each once: what `mount -o` needs to mount it the same way again.</summary>
    private static string MergeOptions(string mountOptions, string superOptions) =>
        string.Join(',', mountOptions.Split(',').Concat(superOptions.Split(',')).Where(o => o.Length > 0).Distinct(StringComparer.Ordinal));

    private FilesystemInfo WithFeatures(Session session, FilesystemInfo fs, Node node, BlkidProbe probe, List<MountInfoEntry> mounts)
    {
        switch (fs.Type)
        {
            case "ext2" or "ext3" or "ext4":
                // dumpe2fs opens "FILE?offset=N" at that byte offset (e2fsprogs' unix I/O manager option).
                var target = node.Container is null ? node.Path : $"{node.Container}?offset={node.Offset}";
                var dump = RunOptional(session, ["dumpe2fs", "-h", target], $"the ext features of {node.Path}");
                return fs with { Ext = ParseOptional(session, dump, t => Dumpe2fs.Parse(node.Path, t), $"the ext features of {node.Path}") };
            case "xfs":
                // xfs_info takes a mount point, and since xfsprogs 5.x an unmounted device too, but no offset.
                var geometry = $"the xfs geometry of {node.Path}";
                var info = fs.MountPoint is { } mountPoint
                    ? RunOptional(session, ["xfs_info", mountPoint], geometry)
                    : OnDevice(session, node, geometry, device => RunOptional(session, ["xfs_info", device], geometry));
                return fs with { Xfs = ParseOptional(session, info, t => XfsInfo.Parse(node.Path, t), geometry) };
            case "btrfs":
                // Subvolumes are listed through a mount; an unmounted btrfs keeps them, but there is no way to list them unmounted.
                if (fs.MountPoint is null)
                {
                    Note(session, $"{node.Path} (btrfs) is not mounted: its subvolumes not captured");
                    return fs;
                }
                var what = $"the btrfs subvolumes of {node.Path}";
                var listed = ParseOptional(session, RunOptional(session, ["btrfs", "subvolume", "list", "-p", fs.MountPoint], what), BtrfsSubvolumeList.Parse, what);
                if (listed is null) return fs;
                var mountRoot = mounts.FirstOrDefault(m => m.MountPoint == fs.MountPoint)?.Root ?? "/";
                var subvolumes = BtrfsSubvolumeList.FromTopLevel(listed, mountRoot);
                var readOnlyWhat = $"the read-only btrfs subvolumes of {node.Path}";
                var readOnly = ParseOptional(session, RunOptional(session, ["btrfs", "subvolume", "list", "-p", "-r", fs.MountPoint], readOnlyWhat),
                    BtrfsSubvolumeList.Parse, readOnlyWhat)?.Select(v => v.Id).ToHashSet() ?? [];
                var defaultWhat = $"the default btrfs subvolume of {node.Path}";
                // "" for the top level (id 5), which is no subvolume of the list.
                var defaultPath = ParseOptional(session, RunOptional(session, ["btrfs", "subvolume", "get-default", fs.MountPoint], defaultWhat),
                    t => subvolumes.FirstOrDefault(v => v.Id == BtrfsSubvolumeList.ParseDefault(t))?.Path ?? "", defaultWhat);
                // mountinfo's root of a subvolume mount is the subvolume's path from the top level.
                var found = subvolumes.Select(v => v with
                {
                    MountPoint = mounts.FirstOrDefault(m => m.Root == "/" + v.Path)?.MountPoint,
                    ReadOnly = readOnly.Contains(v.Id),
                }).ToArray();
                return fs with
                {
                    Btrfs = new BtrfsFeatures { Subvolumes = found, DefaultSubvolume = defaultPath is { Length: > 0 } ? defaultPath : null },
                };
            case "vfat":
                return fs with { Vfat = new VfatFeatures { FatSize = FatSize(probe["VERSION"]), VolumeId = probe.Uuid?.Replace("-", "") } };
            default:
                return fs;
        }
    }

    // blkid's VERSION for vfat: FAT12, FAT16, FAT32. blkid -o export (from its cache) may leave it out.
    private static int? FatSize(string? version) =>
        version is not null && version.StartsWith("FAT", StringComparison.Ordinal) && int.TryParse(version[3..], out var bits) ? bits : null;

    /// <summary>Swap signatures on the devices in scope, active or not; with the whole host also swap files in use.</summary>
    private List<SwapInfo> Swaps(Session session)
    {
        var active = ReadHostFile(session, ProcSwaps.ProcPath, ProcSwaps.Parse) ?? [];
        var result = new List<SwapInfo>();
        foreach (var (node, probe) in session.Probed().Where(p => p.Probe.Type == "swap"))
        {
            var path = node.Path;
            var inUse = active.FirstOrDefault(a => session.Find(a.Device)?.Path == path);
            result.Add(new SwapInfo
            {
                Device = path,
                Kind = "partition",
                Size = node.Size,
                Priority = inUse?.Priority,
                Uuid = probe.Uuid,
                Label = probe.Label,
                Active = inUse is not null,
            });
        }
        if (session.WholeHost)
            result.AddRange(active.Where(a => a.Kind == "file"));
        return result;
    }
}
