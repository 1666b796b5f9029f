using RescueKit.Core.Layout;

namespace RescueKit.Restore.Review;

/// <summary>
/// What is wrong with an edited mountlist before anything is planned from it (Mondo's evaluate_mountlist): two
/// filesystems on one mount point, no root where the layout had one, a mount point that is not absolute, a backup set left with no filesystem to
/// go to. Warnings say what the restored system will not know by itself: its /etc/fstab comes from the backup.
/// </summary>
public static class MountlistFlaws
{
    public static IReadOnlyList<MountlistFlaw> Of(HostLayout source, HostLayout edited, IEnumerable<string> restoredSetMountPoints)
    {
        var flaws = new List<MountlistFlaw>();
        // A btrfs subvolume mounted on its own (subvol=) is a mount point of its filesystem too.
        var mounted = FilesystemMount.Of(edited);
        foreach (var m in mounted.Where(m => !m.MountPoint.StartsWith('/')))
            flaws.Add(new(m.Filesystem.Device, $"the mount point '{m.MountPoint}' is not an absolute path"));
        foreach (var twice in mounted.GroupBy(m => m.MountPoint, StringComparer.Ordinal).Where(g => g.Count() > 1))
            flaws.Add(new(null, $"{twice.Key} is the mount point of {string.Join(" and ", twice.Select(m => m.Subvolume is null ? m.Filesystem.Device : $"{m.Filesystem.Device} (subvolume {m.Subvolume})"))}"));
        var sourcePoints = FilesystemMount.Of(source).Select(m => m.MountPoint).ToHashSet(StringComparer.Ordinal);
        // A layout of data disks alone never had a root; one that had it cannot boot without it.
        if (mounted.All(m => m.MountPoint != "/") && sourcePoints.Contains("/"))
            flaws.Add(new(null, "no filesystem is mounted on /: give one the mount point /"));
        var points = mounted.Select(m => m.MountPoint).ToHashSet(StringComparer.Ordinal);
        // Only a set whose filesystem an edit moved or dropped: one the layout never had a filesystem for is the
        // planner's to handle, as in nuke.
        foreach (var set in restoredSetMountPoints.Where(p => !points.Contains(p) && sourcePoints.Contains(p)))
            flaws.Add(new(null, $"the backup's set of {set} has no filesystem to go to: give a filesystem that mount point, or leave the set out"));

        foreach (var fs in edited.Filesystems)
        {
            var before = source.Filesystems.FirstOrDefault(f => f.Device == fs.Device);
            if (before is null) continue;
            if (before.MountPoint is not null && before.MountPoint != fs.MountPoint)
                flaws.Add(new(fs.Device, $"moved from {before.MountPoint} to {fs.MountPoint ?? "nowhere"}: the restored /etc/fstab still mounts it on {before.MountPoint}", IsError: false));
            if (before.Type != fs.Type)
                flaws.Add(new(fs.Device, $"made {fs.Type} instead of {before.Type}: the restored /etc/fstab still says {before.Type}", IsError: false));
        }
        foreach (var dropped in source.Filesystems.Where(f => edited.Filesystems.All(e => e.Device != f.Device)))
            flaws.Add(new(dropped.Device, $"left out: no filesystem is made on it{(dropped.MountPoint is null ? "" : $", and {dropped.MountPoint} stays empty")}", IsError: false));
        return flaws;
    }
}
