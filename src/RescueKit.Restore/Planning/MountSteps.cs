using RescueKit.Core.Layout;
using RescueKit.Core.Restore;

namespace RescueKit.Restore.Planning;

/// <summary>
/// Every recreated filesystem that had a mount point, mounted under the target root in mount-point order (/ before
/// /boot before /boot/efi), each set of the backup extracted into its own, and all unmounted at the end, innermost first.
/// </summary>
internal static class MountSteps
{
    /// <summary>The mounts and the extracts; returns the mounts made (for <see cref="AddUnmounts"/>) and the ids of the
    /// extract steps.</summary>
    public static (List<FilesystemMount> Mounted, List<string> Extracts) Add(PlanBuilder plan, HostLayout layout, DeviceTranslation names,
        RestorePlanOptions options)
    {
        var mounted = FilesystemMount.Of(layout)
            .Where(m => m.MountPoint.StartsWith('/') && names.Translate(m.Filesystem.Device) is not null)
            .GroupBy(m => m.MountPoint).Select(g => g.First())
            .InMountOrder(m => m.MountPoint)
            .ToList();
        if (mounted.All(m => m.MountPoint != "/"))
            plan.Notes.Add("the layout has no filesystem mounted on /: the sets are restored into the target root's directories as they come");

        var mountSteps = new List<string>();
        foreach (var m in mounted)
        {
            var fs = m.Filesystem;
            var device = names.Translate(fs.Device)!;
            var dir = Under(options.TargetRoot, m.MountPoint);
            var id = IdOf(m.MountPoint);
            plan.Add($"mkdir-{id}", RestoreStepKinds.Directory, $"mount point {dir}", ["mkdir", "-p", dir],
                reads: [Parent(options.TargetRoot, m.MountPoint)], makes: [], writes: []);
            List<string> argv = ["mount", "-t", fs.Type];
            if (m.Options.Count > 0) argv.AddRange(["-o", string.Join(',', m.Options)]);
            plan.Add($"mount-{id}", RestoreStepKinds.Mount,
                $"mount {device} ({fs.Type}{(m.Subvolume is null ? "" : $", subvolume {m.Subvolume}")}) on {dir}",
                [.. argv, device, dir], reads: [m.Subvolume is null ? $"fs:{device}" : BtrfsSubvolumeSteps.Made(device, m.Subvolume), Parent(options.TargetRoot, m.MountPoint)],
                makes: [dir], writes: [], after: [$"mkdir-{id}"]);
            mountSteps.Add($"mount-{id}");
        }

        var extracts = new List<string>();
        foreach (var m in mounted)
        {
            var set = options.SetOf(m.MountPoint);
            if (set is null)
            {
                plan.Notes.Add($"the backup has no set for {m.MountPoint}: it stays empty");
                continue;
            }
            var dir = Under(options.TargetRoot, m.MountPoint);
            extracts.Add(AddExtract(plan, set, dir, $"the backup's set {set} into {dir}", options, mountSteps));
        }

        return (mounted, extracts);
    }

    /// <summary>The step extracting <paramref name="set"/> into <paramref name="dir"/>; returns its id.</summary>
    public static string AddExtract(PlanBuilder plan, string set, string dir, string purpose, RestorePlanOptions options,
        IEnumerable<string>? after = null)
    {
        plan.Add($"restore-{set}", RestoreStepKinds.Extract, purpose,
            ["rescuekit", "extract", options.Backup ?? RestorePlanOptions.NoBackup, "--set", set, "--to", dir, "--progress", .. options.ExtractArguments],
            reads: [dir], makes: [], writes: [], after: after, warningExitCodes: [Core.ExitCodes.CompletedWithWarnings]);
        return $"restore-{set}";
    }

    /// <summary>Everything mounted undone, innermost first, after <paramref name="after"/> (the extracts, the boot loader,
    /// the bind mounts, which are unmounted before all): busybox's umount, the rescue system's, has no --recursive.</summary>
    public static void AddUnmounts(PlanBuilder plan, List<FilesystemMount> mounted, IReadOnlyList<string> binds,
        IReadOnlyList<string> after, RestorePlanOptions options)
    {
        var unmounted = new List<string>();
        foreach (var bind in Enumerable.Reverse(binds))
        {
            var dir = options.TargetRoot.TrimEnd('/') + "/" + bind["bind-".Length..];
            plan.Add($"un{bind}", RestoreStepKinds.Unmount, $"unmount {dir}", ["umount", dir], reads: [], makes: [], writes: [],
                after: [.. after, .. unmounted]);
            unmounted.Add($"un{bind}");
        }
        foreach (var m in Enumerable.Reverse(mounted))
        {
            var dir = Under(options.TargetRoot, m.MountPoint);
            var id = $"unmount-{IdOf(m.MountPoint)}";
            plan.Add(id, RestoreStepKinds.Unmount, $"unmount {dir}", ["umount", dir],
                reads: [], makes: [], writes: [], after: [.. after, .. unmounted]);
            unmounted.Add(id);
        }
    }

    private static string IdOf(string mountPoint) => mountPoint == "/" ? "root" : PlanBuilder.IdOf(mountPoint);

    private static string Under(string root, string mountPoint) => mountPoint == "/" ? root : root.TrimEnd('/') + mountPoint;

    /// <summary>The directory a mount point's mount needs first: the mount of the nearest enclosing mount point, made by an
    /// earlier step when there is one (/boot/efi needs /boot, /boot needs /).</summary>
    private static string Parent(string root, string mountPoint)
    {
        if (mountPoint == "/") return root.TrimEnd('/') + "/..";
        var parent = mountPoint[..mountPoint.LastIndexOf('/')];
        return parent.Length == 0 ? root : Under(root, parent);
    }
}
