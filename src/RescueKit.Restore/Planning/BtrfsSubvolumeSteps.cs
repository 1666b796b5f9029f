using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;

namespace RescueKit.Restore.Planning;

/// <summary>
/// A new btrfs gets the subvolumes the layout recorded before anything is mounted on it: its top level (subvolume id
/// 5) is mounted beside the target root, each subvolume is created at its path, parents first, and the default
/// subvolume is set again, so a mount without subvol= (and the restored fstab) sees what it saw. The sets are then
/// extracted through the subvolume mounts, which fills the subvolumes nested in them too. Read-only subvolumes
/// (snapshots) are made read-only again only after the extracts, and the top level is unmounted.
/// </summary>
internal static class BtrfsSubvolumeSteps
{
    /// <summary>What a subvolume's create step makes, for the mounts that need it.</summary>
    public static string Made(string device, string path) => $"subvol:{device}:{path}";

    public static void Add(PlanBuilder plan, HostLayout layout, DeviceTranslation names)
    {
        foreach (var (fs, device) in WithSubvolumes(layout, names))
        {
            var id = PlanBuilder.IdOf(device);
            var top = TopOf(device);
            plan.Add($"mkdir-btrfs-{id}", RestoreStepKinds.Directory, $"a mount point for the top level of {device}", ["mkdir", "-p", top],
                reads: [], makes: [], writes: []);
            plan.Add($"mount-btrfs-{id}", RestoreStepKinds.Mount, $"mount the top level of {device} on {top}, to make its subvolumes",
                ["mount", "-t", "btrfs", "-o", "subvolid=5", device, top], reads: [$"fs:{device}"], makes: [Top(device)], writes: [],
                after: [$"mkdir-btrfs-{id}"]);
            var subvolumes = fs.Btrfs!.Subvolumes;
            var n = 0;
            foreach (var v in ParentsFirst(subvolumes))
            {
                n++;
                var parent = subvolumes.FirstOrDefault(p => p.Id == v.ParentId);
                List<string> reads = [Top(device)];
                if (parent is not null) reads.Add(Made(device, parent.Path));
                var slash = v.Path.LastIndexOf('/');
                var directory = slash < 0 ? "" : v.Path[..slash];
                // A subvolume inside a plain directory of its parent (@/var/lib/machines in @/var's lib): the directory first.
                if (directory.Length > 0 && directory != parent?.Path)
                    plan.Add($"mkdir-subvol-{id}-{n}", RestoreStepKinds.Directory, $"the directory {directory} on {device}, to hold subvolume {v.Path}",
                        ["mkdir", "-p", $"{top}/{directory}"], reads: reads, makes: [], writes: [device]);
                plan.Add($"subvol-{id}-{n}", RestoreStepKinds.Subvolume,
                    $"btrfs subvolume {v.Path} on {device}{(v.MountPoint is null ? "" : $" (mounted on {v.MountPoint})")}",
                    ["btrfs", "subvolume", "create", $"{top}/{v.Path}"], reads: reads, makes: [Made(device, v.Path)], writes: [device],
                    after: directory.Length > 0 && directory != parent?.Path ? [$"mkdir-subvol-{id}-{n}"] : null);
            }
            if (fs.Btrfs.DefaultSubvolume is { } defaultPath)
                plan.Add($"subvol-default-{id}", RestoreStepKinds.Subvolume, $"subvolume {defaultPath} made the default of {device} again",
                    ["btrfs", "subvolume", "set-default", $"{top}/{defaultPath}"], reads: [Made(device, defaultPath)], makes: [], writes: [device]);

            foreach (var empty in subvolumes.Where(v => !IsRestored(fs, v)))
                plan.Notes.Add($"btrfs subvolume {empty.Path} of {fs.Device} is in no set of the backup (neither mounted on its own nor inside a mounted subvolume): it is recreated empty");
            foreach (var snapshot in subvolumes.Where(v => v.ReadOnly && IsRestored(fs, v)))
                plan.Notes.Add($"read-only btrfs subvolume {snapshot.Path} of {fs.Device} is restored as a full copy (no extents shared with what it was taken of), then made read-only again");
        }
    }

    /// <summary>After the extracts: the read-only subvolumes made read-only again, and each top level unmounted.</summary>
    public static IReadOnlyList<string> AddFinish(PlanBuilder plan, HostLayout layout, DeviceTranslation names, IReadOnlyList<string> after)
    {
        var last = new List<string>();
        foreach (var (fs, device) in WithSubvolumes(layout, names))
        {
            var id = PlanBuilder.IdOf(device);
            var top = TopOf(device);
            var readOnly = new List<string>();
            foreach (var (v, n) in ParentsFirst(fs.Btrfs!.Subvolumes).Select((v, i) => (v, i + 1)).Where(x => x.v.ReadOnly))
            {
                plan.Add($"subvol-ro-{id}-{n}", RestoreStepKinds.Subvolume, $"subvolume {v.Path} on {device} made read-only again",
                    ["btrfs", "property", "set", "-ts", $"{top}/{v.Path}", "ro", "true"], reads: [Made(device, v.Path)], makes: [],
                    writes: [device], after: after);
                readOnly.Add($"subvol-ro-{id}-{n}");
            }
            plan.Add($"unmount-btrfs-{id}", RestoreStepKinds.Unmount, $"unmount the top level of {device} from {top}", ["umount", top],
                reads: [], makes: [], writes: [], after: [.. after, .. readOnly]);
            last.Add($"unmount-btrfs-{id}");
        }
        return last;
    }

    private static IEnumerable<(FilesystemInfo Fs, string Device)> WithSubvolumes(HostLayout layout, DeviceTranslation names) =>
        layout.Filesystems.Where(f => f.Type == "btrfs" && f.Btrfs?.Subvolumes.Count > 0)
            .Select(f => (f, names.Translate(f.Device)!)).Where(x => x.Item2 is not null);

    /// <summary>A subvolume's parent is a prefix of its path from the top level, so shorter paths come first.</summary>
    private static IEnumerable<BtrfsSubvolume> ParentsFirst(IEnumerable<BtrfsSubvolume> subvolumes) =>
        subvolumes.OrderBy(v => v.Path.Count(c => c == '/')).ThenBy(v => v.Path, StringComparer.Ordinal);

    /// <summary>Whether a set fills it: the top level is mounted, or it or a subvolume it is in is.</summary>
    private static bool IsRestored(FilesystemInfo fs, BtrfsSubvolume v) =>
        FilesystemMount.Of(fs).Any(m => m.Subvolume is null || m.Subvolume == v.Path || v.Path.StartsWith(m.Subvolume + "/", StringComparison.Ordinal));

    private static string Top(string device) => $"btrfs-top:{device}";

    private static string TopOf(string device) => $"{RescuePaths.RunDirectory}/btrfs/{PlanBuilder.IdOf(device)}";
}
