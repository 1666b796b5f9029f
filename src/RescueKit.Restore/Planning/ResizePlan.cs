using System.Globalization;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Planning;

/// <summary>
/// How a plan resizes onto target disks of another size: each mapped disk's partition geometry
/// (<see cref="DiskResize"/>), the sizes of everything made on them (<see cref="DeviceSizes"/>), the check that every
/// filesystem that shrinks still holds its set, and the notes that say what changed. With no resizing asked every disk
/// keeps its geometry.
/// </summary>
internal sealed class ResizePlan
{
    private readonly StorageStack _stack;
    private readonly StorageStack _before;
    private readonly IReadOnlyDictionary<string, SizeRequest> _sizesSet;
    private readonly Dictionary<string, DiskGeometry> _geometry = new(StringComparer.Ordinal);

    public DeviceSizes Sizes { get; }

    public List<string> Notes { get; } = [];

    /// <summary>What the plan cannot be made with: the device each is about (a partition too big for its disk, a VG
    /// its LVs overfill, a disk too small), and the problem.</summary>
    public List<(string Device, string Problem)> Problems { get; } = [];

    private ResizePlan(StorageStack stack, DiskMapping mapping, RestorePlanOptions options)
    {
        _stack = stack;
        _sizesSet = options.SizesSet;
        _before = options.Before is { } before ? new StorageStack(before) : stack;
        var fixedParts = FixedPartitions(stack);
        var layout = stack.Layout;
        var newSizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pair in mapping.Pairs)
        {
            var disk = layout.Disks.First(d => d.Path == pair.Source);
            var target = mapping.Targets.First(t => t.Path == pair.Target);
            var asked = disk.TableType is null ? [] : disk.Partitions.Where(p => options.SizesSet.ContainsKey(p.Device)).ToList();
            DiskGeometry geometry;
            if (asked.Count > 0 && DiskResize.CannotResize(disk) is { } cannot)
            {
                Problems.AddRange(asked.Select(p => (p.Device, $"its size cannot be set: {cannot}")));
                geometry = DiskResize.Layout(disk, disk.Size, fixedParts);
            }
            else if (asked.Count > 0)
            {
                geometry = DiskResize.Layout(disk, pair.Target, target.Size, fixedParts, p => options.SizesSet.GetValueOrDefault(p.Device), keepStarts: options.NoResize);
                Problems.AddRange(geometry.Problems);
            }
            else
                geometry = options.NoResize ? DiskResize.Layout(disk, disk.Size, fixedParts) : DiskResize.Layout(disk, target.Size, fixedParts);
            if (!geometry.Resized && target.Size < RestorePlanner.RequiredSize(disk))
                Problems.Add((disk.Path, $"{pair.Target} ({ByteSize.Format(target.Size)}) is too small for {disk.Path}: it needs {ByteSize.Format(RestorePlanner.RequiredSize(disk))}"
                    + (DiskResize.CannotResize(disk) is { } why ? $", since its partitions keep their sizes: {why}" : "")));
            _geometry[disk.Path] = geometry;
            if (!options.NoResize && disk.TableType is null) newSizes[disk.Path] = target.Size;
            foreach (var p in geometry.Partitions)
                newSizes[disk.Partitions.First(x => x.Number == p.Number).Device] = p.SizeSectors * disk.LogicalSectorSize;
            if (DiskNote(disk, pair.Target, target.Size, geometry, options.NoResize) is { } note) Notes.Add(note);
        }
        var leftOut = layout.Disks.Where(d => !mapping.Pairs.Any(p => p.Source == d.Path))
            .SelectMany(d => d.Partitions.Select(p => p.Device).Append(d.Path)).ToHashSet(StringComparer.Ordinal);
        Sizes = new DeviceSizes(stack, d => newSizes.TryGetValue(d, out var s) ? s : null, d => options.SizesSet.GetValueOrDefault(d), leftOut.Contains);
    }

    /// <exception cref="DataDoesNotFitException">A filesystem that shrinks would not hold its set.</exception>
    /// <exception cref="RescueKitException">A size set does not fit, a disk is too small, or a VG's LVs would not fit
    /// in its estimated capacity (the first such problem).</exception>
    public static ResizePlan Make(HostLayout layout, DiskMapping mapping, RestorePlanOptions options, DeviceTranslation names)
    {
        var resize = Unchecked(layout, mapping, options);
        if (resize.Problems.Count > 0)
        {
            var (device, problem) = resize.Problems[0];
            throw new BadInputException(problem.Contains(device, StringComparison.Ordinal) ? problem : $"{device}: {problem}");
        }
        resize.CheckFilesystems(options, names);
        return resize;
    }

    /// <summary>The resize of the mapped disks with its <see cref="Problems"/> listed rather than thrown, and the data
    /// of the filesystems not checked: what a person editing the mountlist is shown as they type.</summary>
    public static ResizePlan Unchecked(HostLayout layout, DiskMapping mapping, RestorePlanOptions options)
    {
        var resize = new ResizePlan(new StorageStack(layout), mapping, options);
        resize.CheckVolumeGroups();
        return resize;
    }

    /// <summary>The device's size in the backup's layout, and after the restore (null when not known).</summary>
    public (long? Before, long? After) SizeOf(string device) => (_before.Old(device) ?? Sizes.Old(device), Sizes.New(device));

    /// <summary>The smallest target disk each source disk can be restored onto: with resizing, its kept partitions and
    /// what the data on the others needs (<see cref="SpaceNeeds"/>); without, up to the end of its last partition.</summary>
    public static Func<DiskInfo, long> MinimumSize(HostLayout layout, RestorePlanOptions options)
    {
        if (options.NoResize) return RestorePlanner.RequiredSize;
        var stack = new StorageStack(layout);
        var fixedParts = FixedPartitions(stack);
        var needs = new SpaceNeeds(stack, options);
        return disk => DiskResize.MinimumSize(disk, fixedParts, p => needs.Of(p.Device));
    }

    public DiskGeometry Geometry(string sourceDisk) => _geometry[sourceDisk];

    /// <summary>The resize restore-plan.json records for a disk, or null when its partitions keep their geometry.</summary>
    public PlannedResize? Planned(DiskInfo disk) => _geometry.TryGetValue(disk.Path, out var g) && g.Resized
        ? new PlannedResize(Math.Round(g.Factor, 4), g.Partitions.Where(p => p.Scaled).Select(p => p.Number).Order().ToList(),
            g.Partitions.Where(p => !p.Scaled).Select(p => p.Number).Order().ToList())
        : null;

    /// <summary>"old -> new" when the device changes size, else null.</summary>
    public string? Change(string device) =>
        SizeOf(device) is ({ } old, { } now) && old != now ? $"{ByteSize.Format(old)} -> {ByteSize.Format(now)}" : null;

    /// <summary>The partitions whose size is kept: BIOS boot, the ESPs, and whatever /boot is made on.</summary>
    private static Func<PartitionInfo, bool> FixedPartitions(StorageStack stack)
    {
        var boot = stack.Layout.Filesystems.Where(f => f.MountPoint == "/boot").SelectMany(f => stack.SelfAndBelow(f.Device)).ToHashSet(StringComparer.Ordinal);
        return p => DiskResize.IsFixed(p, boot);
    }

    private static string? DiskNote(DiskInfo disk, string target, long targetSize, DiskGeometry geometry, bool noResize)
    {
        var name = target == disk.Path ? target : $"{target} (for {disk.Path})";
        if (!geometry.Resized)
        {
            if (targetSize > disk.Size)
            {
                var why = noResize ? "" : DiskResize.CannotResize(disk) is { } reason ? $" ({reason})" : " (none of them is resized)";
                return $"{target} is bigger than {disk.Path} was: the partitions keep their sizes{why} and the rest of the disk stays free";
            }
            return targetSize < disk.Size && !noResize
                ? $"{name} is smaller than {disk.Path} was but holds its partitions as they are: they keep their sizes"
                : null;
        }
        string Numbers(IEnumerable<PartitionGeometry> parts) => Words(parts.Select(p => p.Number.ToString(CultureInfo.InvariantCulture)).ToList());
        var kept = geometry.Partitions.Where(p => p is { Scaled: false, Set: false }).ToList();
        var scaled = geometry.Partitions.Where(p => p.Scaled).ToList();
        var set = geometry.Partitions.Where(p => p.Set).ToList();
        var scaling = scaled.Count == 0 ? "no partition scaled"
            : $"partition{(scaled.Count == 1 ? "" : "s")} {Numbers(scaled)} scaled x{geometry.Factor.ToString("0.00", CultureInfo.InvariantCulture)}";
        return $"{name}: {ByteSize.Format(disk.Size)} -> {ByteSize.Format(targetSize)}, {scaling}"
               + (set.Count == 0 ? "" : $"; {Numbers(set)} of the size set") + (kept.Count == 0 ? "" : $"; {Numbers(kept)} kept");
    }

    private static string Words(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";

    private void CheckVolumeGroups()
    {
        foreach (var vg in _stack.Layout.Lvm.VolumeGroups)
        {
            if (Sizes.Group(vg) is not { } group) continue;
            var used = vg.LogicalVolumes.Sum(lv => StorageStack.Consumption(lv, group.Sizes[lv.Name]));
            if (used > group.NewCapacity - group.Margin)
            {
                var set = vg.LogicalVolumes.Where(lv => StorageStack.LvPaths(vg, lv).Any(_sizesSet.ContainsKey)).Select(lv => lv.Name).ToList();
                Problems.Add((set.Count == 1 ? StorageStack.LvPaths(vg, vg.LogicalVolumes.First(lv => lv.Name == set[0])).First() : vg.Name,
                    $"the logical volumes of {vg.Name} need {ByteSize.Format(used)}, more than the about {ByteSize.Format(group.NewCapacity)} its physical volumes would hold on the disks chosen "
                    + $"(less {ByteSize.Format(group.Margin)} kept free): {ByteSize.Format(used - (group.NewCapacity - group.Margin))} too big; "
                    + (set.Count > 0 ? $"make {string.Join(", ", set)} smaller, or restore onto bigger disks" : "restore onto bigger disks")));
                continue;
            }
            if (group.NewCapacity != group.OldCapacity)
                Notes.Add($"volume group {vg.Name}: about {ByteSize.Format(group.OldCapacity)} -> {ByteSize.Format(group.NewCapacity)}, its logical volumes scaled "
                          + $"x{group.Factor.ToString("0.00", CultureInfo.InvariantCulture)} with {ByteSize.Format(group.NewCapacity - used)} left free");
            else
                Notes.Add($"volume group {vg.Name}: the sizes set kept, the other logical volumes scaled x{group.Factor.ToString("0.00", CultureInfo.InvariantCulture)}, {ByteSize.Format(group.NewCapacity - used)} left free");
        }
    }

    private void CheckFilesystems(RestorePlanOptions options, DeviceTranslation names)
    {
        var unchecked_ = new List<string>();
        foreach (var fs in _stack.Layout.Filesystems)
        {
            if (names.Translate(fs.Device) is null || SizeOf(fs.Device) is not ({ } old, { } now) || now >= old) continue;
            if (now < DataFit.MkfsMinimum(fs))
                throw new DataDoesNotFitException(
                    $"the {fs.Type} filesystem {fs.MountPoint ?? fs.Device} ({fs.Device} of the layout) would be {ByteSize.Format(now)} on the disks chosen, "
                    + $"less than the {ByteSize.Format(DataFit.MkfsMinimum(fs))} mkfs makes it on: restore onto a bigger disk, or choose another target disk",
                    _stack.DisksUnder(fs.Device));
            if (options.SetData is null)
            {
                unchecked_.Add(fs.MountPoint ?? fs.Device);
                continue;
            }
            if (DataFit.DataOf(fs, options) is not { } data) continue; // no set: nothing is restored into it
            var need = Math.Max(DataFit.MkfsMinimum(fs), DataFit.Need(data, DataFit.BlockSize(fs)));
            if (now < need) throw DataDoesNotFitException.For(fs, options.SetsOf(fs), data, now, need, _stack.DisksUnder(fs.Device));
        }
        if (unchecked_.Count > 0)
            Notes.Add($"{Words(unchecked_)} would be smaller than {(unchecked_.Count == 1 ? "it was" : "they were")}: without the backup, whether {(unchecked_.Count == 1 ? "its data fits" : "their data fits")} cannot be checked (a restore from the backup checks it before it writes)");
    }
}
