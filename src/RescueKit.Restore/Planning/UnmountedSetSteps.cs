using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;

namespace RescueKit.Restore.Planning;

/// <summary>
/// The sets of filesystems the host did not mount (a second ESP, which the backup mounted read-only to archive): each
/// recreated filesystem is mounted beside the target root, its set extracted into it, and it is unmounted again, so a
/// disk that booted from its own ESP boots again.
/// </summary>
internal static class UnmountedSetSteps
{
    /// <returns>The ids of the extract steps.</returns>
    public static IReadOnlyList<string> Add(PlanBuilder plan, HostLayout layout, DeviceTranslation names, RestorePlanOptions options)
    {
        var extracts = new List<string>();
        foreach (var fs in layout.Filesystems.Where(f => f.MountPoint is null))
        {
            if (!options.UnmountedSets.TryGetValue(fs.Device, out var set) || names.Translate(fs.Device) is not { } device) continue;
            var id = PlanBuilder.IdOf(device);
            var dir = $"{RescuePaths.RunDirectory}/unmounted/{id}";
            plan.Add($"mkdir-unmounted-{id}", RestoreStepKinds.Directory, $"a mount point for {device}, which the host did not mount",
                ["mkdir", "-p", dir], reads: [], makes: [], writes: []);
            plan.Add($"mount-unmounted-{id}", RestoreStepKinds.Mount, $"mount {device} ({fs.Type}) on {dir}, for its set",
                ["mount", "-t", fs.Type, device, dir], reads: [$"fs:{device}"], makes: [dir], writes: [], after: [$"mkdir-unmounted-{id}"]);
            var extract = MountSteps.AddExtract(plan, set, dir, $"the backup's set {set} into {dir} ({device}, not mounted on the host)", options);
            plan.Add($"unmount-unmounted-{id}", RestoreStepKinds.Unmount, $"unmount {dir}", ["umount", dir],
                reads: [], makes: [], writes: [], after: [extract]);
            extracts.Add(extract);
        }
        return extracts;
    }
}
