using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Planning;

/// <summary>
/// Turns a layout and a disk mapping into a <see cref="RestorePlan"/>, touching nothing: the disks' signatures wiped,
/// partition tables, md arrays, LUKS, LVM, filesystems and swap with their identities, the mounts in order, each set
/// extracted, the boot loader, then unmounted. What a dry run shows and what nuke runs.
/// </summary>
/// <remarks>Onto disks of another size the partitions and LVs are resized in proportion (<see cref="ResizePlan"/>).
/// fstab, crypttab and mdadm.conf need no rewriting: every identity they name is kept.</remarks>
public static class RestorePlanner
{
    /// <summary>The bytes a target disk needs to hold a source disk without resizing: up to the end of its last
    /// partition, plus the backup GPT at the end of the disk.</summary>
    public static long RequiredSize(DiskInfo disk)
    {
        if (disk.Partitions.Count == 0) return disk.Size;
        var end = disk.Partitions.Max(p => p.Start + p.SizeSectors);
        var backupGpt = disk.TableType == "gpt" ? 33 : 0;
        return (end + backupGpt) * disk.LogicalSectorSize;
    }

    /// <summary>The smallest target disk each source disk can go onto: <see cref="RequiredSize"/> without resizing;
    /// with it, what the kept partitions and the data of the others need.</summary>
    public static Func<DiskInfo, long> MinimumSize(HostLayout layout, RestorePlanOptions options) => ResizePlan.MinimumSize(layout, options);

    /// <exception cref="DiskMappingIncompleteException">The mapping leaves a disk without a target.</exception>
    /// <exception cref="DataDoesNotFitException">A filesystem would shrink below what its set holds.</exception>
    /// <exception cref="RescueKitException">The layout holds something this rescuekit cannot recreate (named).</exception>
    public static RestorePlan Plan(HostLayout layout, DiskMapping mapping, RestorePlanOptions options)
    {
        if (!mapping.IsComplete) throw new DiskMappingIncompleteException(mapping);
        var plan = new PlanBuilder();
        var names = new DeviceTranslation(layout, mapping);
        var resize = ResizePlan.Make(layout, mapping, options, names);
        plan.Notes.AddRange(resize.Notes);
        foreach (var skipped in mapping.Skipped) plan.Notes.Add($"{skipped} is not restored, as asked");

        StorageSteps.Add(plan, layout, mapping, names, resize);
        LvmIdentitySteps.Add(plan, layout.Lvm);
        LuksSteps.Add(plan, layout, names, onLogicalVolumes: false);
        // LVM comes from StorageSteps after the md arrays; containers on LVs follow it.
        LuksSteps.Add(plan, layout, names, onLogicalVolumes: true);
        FilesystemSteps.Add(plan, layout, names, resize, options);
        BtrfsSubvolumeSteps.Add(plan, layout, names);
        var (mounted, extracts) = MountSteps.Add(plan, layout, names, options);
        extracts.AddRange(UnmountedSetSteps.Add(plan, layout, names, options));
        var binds = BootSteps.Add(plan, layout, mapping, names, options, extracts);
        List<string> lastSteps = [.. extracts, .. plan.Steps.Where(s => s.Kind is RestoreStepKinds.BootLoader or RestoreStepKinds.Initramfs).Select(s => s.Id)];
        if (RecordSteps.Add(plan, mounted, options, lastSteps) is { } records) lastSteps.Add(records);
        lastSteps.AddRange(BtrfsSubvolumeSteps.AddFinish(plan, layout, names, lastSteps));
        MountSteps.AddUnmounts(plan, mounted, binds, lastSteps, options);

        return new RestorePlan
        {
            ToolVersion = options.ToolVersion,
            HostName = layout.HostName,
            Backup = options.Backup,
            TargetRoot = options.TargetRoot,
            Disks = mapping.Pairs.Select(p => layout.Disks.First(d => d.Path == p.Source)).Select(d => new PlannedDisk(d.Path, mapping.TargetOf(d.Path)!,
                d.Size, mapping.Targets.First(t => t.Path == mapping.TargetOf(d.Path)).Size) { Resize = resize.Planned(d) }).ToList(),
            Steps = plan.Steps,
            Notes = plan.Notes,
        };
    }
}
