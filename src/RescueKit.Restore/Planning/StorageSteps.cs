using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Planning;

/// <summary>The steps that recreate the block devices: old signatures wiped, partition tables, md arrays, LVM.</summary>
internal static class StorageSteps
{
    public static void Add(PlanBuilder plan, HostLayout layout, DiskMapping mapping, DeviceTranslation names, ResizePlan resize)
    {
        foreach (var pair in mapping.Pairs)
        {
            var disk = layout.Disks.First(d => d.Path == pair.Source);
            var wipe = $"wipe-{PlanBuilder.IdOf(pair.Target)}";
            plan.Add(wipe, RestoreStepKinds.Wipe,
                $"erase the signatures on {pair.Target}{(pair.Target == disk.Path ? "" : $" (for {disk.Path} of the layout)")}",
                ["wipefs", "--all", "--force", pair.Target], reads: [], makes: [], writes: [pair.Target]);
            if (disk.TableType is null) continue;
            var partitions = disk.Partitions.Select(p => DeviceNames.Partition(pair.Target, p.Number)).ToList();
            var geometry = resize.Geometry(disk.Path);
            var changes = disk.Partitions.OrderBy(p => p.Number).Select(p => (p.Number, Change: resize.Change(p.Device)))
                .Where(c => c.Change is not null).Select(c => $"{c.Number}: {c.Change}").ToList();
            plan.Add($"partition-{PlanBuilder.IdOf(pair.Target)}", RestoreStepKinds.Partition,
                $"{(disk.TableType == "gpt" ? "GPT" : "MBR")} partition table on {pair.Target} ({disk.Partitions.Count} partition{(disk.Partitions.Count == 1 ? "" : "s")}, as {disk.Path} had"
                + $"{(changes.Count == 0 ? "" : $"; resized {string.Join(", ", changes)}")})",
                ["sfdisk", "--wipe", "always", "--wipe-partitions", "always", pair.Target],
                reads: [], makes: [pair.Target, .. partitions], writes: [pair.Target], input: SfdiskScript.For(disk, pair.Target, geometry), after: [wipe]);
        }

        foreach (var md in layout.MdArrays) AddArray(plan, md, names);
        AddLvm(plan, layout.Lvm, names, resize);
    }

    private static void AddArray(PlanBuilder plan, MdArray md, DeviceTranslation names)
    {
        var members = md.Members.OrderBy(m => m.Slot).Select(m => names.Translate(m.Device) ?? "missing").ToList();
        var present = members.Where(m => m != "missing").ToList();
        if (present.Count == 0)
        {
            plan.Notes.Add($"{md.Device} is not recreated: every member is on a disk that is not restored");
            return;
        }
        if (present.Count < members.Count)
            plan.Notes.Add($"{md.Device} ({md.Level}) is created degraded: {members.Count - present.Count} of its {members.Count} members are on disks that are not restored");
        var spares = md.Spares.Select(names.Translate).OfType<string>().ToList();
        var argv = new List<string> { "mdadm", "--create", md.Device, "--run", "--force", $"--level={md.Level}", $"--raid-devices={members.Count}" };
        if (md.Metadata is { } metadata) argv.Add($"--metadata={metadata}");
        argv.Add($"--uuid={md.Uuid}");
        // mdadm --detail reports the name as HOMEHOST:NAME; --create takes the two apart (mdadm 4.3 refuses a ':' in
        // --name), and the homehost is what makes the array assemble under its own name on the restored machine.
        if (md.Name is { } name)
        {
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) argv.AddRange([$"--name={name[(colon + 1)..]}", $"--homehost={name[..colon]}"]);
            else argv.Add($"--name={name}");
        }
        if (md.ChunkSize is { } chunk) argv.Add($"--chunk={chunk / 1024}K");
        if (md.Layout is { } mdLayout) argv.Add($"--layout={mdLayout}");
        // Mirrors hold nothing yet and every block the restore needs is written to all of them, so the initial sync
        // would copy garbage; parity levels must compute their parity, which the kernel does in the background.
        if (md.Level is "raid1" or "raid10" && present.Count == members.Count) argv.Add("--assume-clean");
        if (spares.Count > 0) argv.Add($"--spare-devices={spares.Count}");
        argv.AddRange(members);
        argv.AddRange(spares);
        plan.Add($"raid-{PlanBuilder.IdOf(md.Device)}", RestoreStepKinds.Raid,
            $"{md.Level} array {md.Device} over {string.Join(", ", present.Concat(spares))} (the same UUID {md.Uuid})",
            argv, reads: [.. present, .. spares], makes: [md.Device], writes: [.. present, .. spares]);
    }

    private static void AddLvm(PlanBuilder plan, LvmLayout lvm, DeviceTranslation names, ResizePlan resize)
    {
        foreach (var vg in lvm.VolumeGroups)
        {
            var pvs = new List<string>();
            foreach (var pv in lvm.PhysicalVolumes.Where(p => p.VolumeGroup == vg.Name))
            {
                var device = names.Translate(pv.Device);
                if (device is null) continue;
                plan.Add($"pv-{PlanBuilder.IdOf(device)}", RestoreStepKinds.PhysicalVolume, $"LVM physical volume on {device} (UUID {pv.Uuid})",
                    ["lvm", "pvcreate", "--force", "--yes", "--uuid", pv.Uuid, "--norestorefile", device],
                    reads: [device], makes: [$"pv:{device}"], writes: [device]);
                pvs.Add(device);
            }
            if (pvs.Count == 0)
            {
                plan.Notes.Add($"volume group {vg.Name} is not recreated: all its physical volumes are on disks that are not restored");
                continue;
            }
            plan.Add($"vg-{vg.Name}", RestoreStepKinds.VolumeGroup, $"volume group {vg.Name} on {string.Join(", ", pvs)}",
                ["lvm", "vgcreate", "--yes", "--physicalextentsize", $"{vg.ExtentSize / 1024}k", vg.Name, .. pvs],
                reads: pvs.Select(p => $"pv:{p}"), makes: [$"vg:{vg.Name}"], writes: pvs);
            // Pools before the thin volumes they hold.
            foreach (var lv in vg.LogicalVolumes.OrderBy(l => l.SegmentType == "thin" ? 1 : 0))
                AddLogicalVolume(plan, vg, lv, pvs, resize.Sizes.Group(vg)?.Sizes[lv.Name] ?? lv.Size);
        }
    }

    private static void AddLogicalVolume(PlanBuilder plan, LvmVolumeGroup vg, LvmLogicalVolume lv, List<string> pvs, long newSize)
    {
        var path = lv.Path ?? $"/dev/{vg.Name}/{lv.Name}";
        var size = $"{newSize / 1024}k";
        List<string> argv = ["lvm", "lvcreate", "--yes", "--wipesignatures", "y", "--zero", "y", "--name", lv.Name];
        var reads = new List<string> { $"vg:{vg.Name}" };
        switch (lv.SegmentType)
        {
            case "linear":
                argv.AddRange(["--size", size, vg.Name]);
                break;
            case "striped":
                argv.AddRange(["--size", size, "--stripes", lv.Stripes.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                if (lv.StripeSize is { } stripe) argv.AddRange(["--stripesize", $"{stripe / 1024}k"]);
                argv.Add(vg.Name);
                break;
            case "raid1" or "mirror":
                argv.AddRange(["--type", "raid1", "--mirrors", Math.Max(1, lv.Stripes - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--size", size, vg.Name]);
                break;
            case "thin-pool":
                // lvcreate refuses --wipesignatures for a pool, and its --zero there is the pool's zeroing of new
                // blocks, not a wipe: both are left to LVM's defaults. The pool's metadata is new, so nothing of it
                // needs wiping.
                argv = ["lvm", "lvcreate", "--yes", "--name", lv.Name, "--type", "thin-pool", "--size", size, vg.Name];
                break;
            case "thin":
                var pool = lv.Pool ?? throw new RescueKitException($"the thin volume {vg.Name}/{lv.Name} names no pool in the layout", ExitCodes.BadInput);
                argv = ["lvm", "lvcreate", "--yes", "--name", lv.Name, "--virtualsize", size, "--thinpool", pool, vg.Name];
                reads.Add($"/dev/{vg.Name}/{pool}");
                break;
            default:
                throw new RescueKitException(
                    $"the logical volume {vg.Name}/{lv.Name} is of type {lv.SegmentType}, which this rescuekit cannot recreate yet (linear, striped, raid1, thin-pool and thin it can)",
                    ExitCodes.Failed);
        }
        plan.Add($"lv-{vg.Name}-{lv.Name}", RestoreStepKinds.LogicalVolume,
            $"{lv.SegmentType} logical volume {vg.Name}/{lv.Name}, {(newSize == lv.Size ? ByteSizeText(lv.Size) : $"{ByteSizeText(lv.Size)} -> {ByteSizeText(newSize)}")}", argv, reads,
            makes: [path, DeviceNames.Mapper(vg.Name, lv.Name)], writes: pvs);
    }

    private static string ByteSizeText(long bytes) => Core.Backup.ByteSize.Format(bytes);
}
