using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Planning;

namespace RescueKit.Restore.Review;

/// <summary>
/// The plan as a person shapes it before it runs: which target disk each source disk goes to, the mountlist's edits,
/// which of the backup's sets are restored. Every change is checked at once (a mapping the disks do not allow is
/// refused and undone) and the flaws are computed from the whole; <see cref="Plan"/> is made only when none is an
/// error. The interactive front-end edits one; no UI is in here, so tests drive it directly.
/// </summary>
public sealed class PlanDraft
{
    private readonly Dictionary<string, string> _given;
    private readonly HashSet<string> _leftOutSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SizeRequest> _sizes = new(StringComparer.Ordinal);

    public PlanDraft(HostLayout source, IReadOnlyList<TargetDisk> targets, RestorePlanOptions options, IReadOnlyDictionary<string, string>? given = null)
    {
        Source = source;
        Layout = source;
        Targets = targets;
        Options = options;
        _given = new Dictionary<string, string>(given ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        Mapping = MapNow();
    }

    /// <summary>The layout as the backup recorded it.</summary>
    public HostLayout Source { get; }

    /// <summary>The layout with the mountlist's edits; the plan is made from it.</summary>
    public HostLayout Layout { get; private set; }

    public IReadOnlyList<TargetDisk> Targets { get; }

    public RestorePlanOptions Options { get; }

    public DiskMapping Mapping { get; private set; }

    /// <summary>The source → target pairs the person chose (or gave with --map), <see cref="DiskMapper.Skip"/> for a
    /// disk left out.</summary>
    public IReadOnlyDictionary<string, string> Given => _given;

    /// <summary>The targets <paramref name="source"/> may go to: every disk not refused and not taken by another
    /// source, each with why it cannot be chosen when it cannot.</summary>
    public IReadOnlyList<(TargetDisk Disk, string? Refused)> Candidates(string source)
    {
        var taken = Mapping.Pairs.Where(p => p.Source != source).ToDictionary(p => p.Target, p => p.Source, StringComparer.Ordinal);
        return Targets.Select(t => (t, t.Refused ?? (taken.TryGetValue(t.Path, out var other) ? $"{other} goes there" : null))).ToList();
    }

    /// <summary>Puts <paramref name="source"/> onto <paramref name="target"/> (or <see cref="DiskMapper.Skip"/>), or
    /// back to the engine's choice when null.</summary>
    /// <exception cref="BadInputException">The disks do not allow it (refused, too small, taken); nothing changed.</exception>
    public void Map(string source, string? target)
    {
        var before = _given.GetValueOrDefault(source);
        if (target is null) _given.Remove(source); else _given[source] = target;
        try
        {
            Mapping = MapNow();
        }
        catch (BadInputException)
        {
            if (before is null) _given.Remove(source); else _given[source] = before;
            throw;
        }
    }

    private DiskMapping MapNow() => DiskMapper.Map(Layout.Disks, Targets, RestorePlanner.MinimumSize(Layout, PlanOptions),
        _given, unshrunk: Options.NoResize ? null : RestorePlanner.RequiredSize);

    /// <exception cref="BadInputException">The change is not one the entry takes (named); nothing changed.</exception>
    public void Edit(MountlistChange change)
    {
        var layout = change.ApplyTo(Layout);
        string? sized = change.Size is not null || change.ResetSize ? MountlistChange.SizedDevice(layout, change.Device) : null;
        var (beforeLayout, beforeSizes) = (Layout, new Dictionary<string, SizeRequest>(_sizes, StringComparer.Ordinal));
        Layout = layout;
        if (sized is not null && change.ResetSize) _sizes.Remove(sized);
        if (sized is not null && change.Size is { } size) _sizes[sized] = size;
        try
        {
            Mapping = MapNow();
        }
        catch (BadInputException)
        {
            Layout = beforeLayout;
            _sizes.Clear();
            foreach (var (device, request) in beforeSizes) _sizes[device] = request;
            throw;
        }
    }

    /// <summary>
    /// Every entry the mountlist editor lists, in device order: <see cref="Mountlist.Of"/>'s (filesystems, swap, RAID
    /// members, PVs, LUKS containers), each md array (its level and members are edited there), and the partitions and
    /// LVs that hold none of those (BIOS boot, a thin pool), so that every partition and LV can be sized.
    /// </summary>
    public IReadOnlyList<MountlistEntry> Entries
    {
        get
        {
            var entries = Mountlist.Of(Layout).ToList();
            var listed = entries.Select(e => e.Device).ToHashSet(StringComparer.Ordinal);
            foreach (var md in Layout.MdArrays)
                entries.Add(new(MountlistRole.RaidArray, md.Device, "raid", $"{md.Level} of {md.Members.Count}", md.Size, md.Name, md.Uuid));
            foreach (var disk in Layout.Disks)
                foreach (var p in disk.Partitions.Where(p => !listed.Contains(p.Device) && p.Role != "extended"))
                    entries.Add(new(MountlistRole.Partition, p.Device, null, p.IsEfiSystem ? "ESP (empty)" : string.Equals(p.Type, DiskResize.BiosBootType, StringComparison.OrdinalIgnoreCase) ? "BIOS boot" : "partition",
                        p.SizeSectors * disk.LogicalSectorSize, p.Name, p.Uuid));
            foreach (var vg in Layout.Lvm.VolumeGroups)
                foreach (var lv in vg.LogicalVolumes.Where(lv => !StorageStack.LvPaths(vg, lv).Any(listed.Contains)))
                    entries.Add(new(MountlistRole.LogicalVolume, StorageStack.LvPaths(vg, lv).First(), null, $"lv {lv.SegmentType}", lv.Size, null, lv.Uuid));
            return entries.OrderBy(e => e.Device, NaturalVersionComparer.Instance).ThenBy(e => e.Role).ToList();
        }
    }

    /// <summary>True when <paramref name="device"/> is a partition or LV (or on one through LUKS), whose size can be
    /// set.</summary>
    public bool CanSize(string device)
    {
        try
        {
            _ = MountlistChange.SizedDevice(Layout, device);
            return true;
        }
        catch (BadInputException)
        {
            return false;
        }
    }

    /// <summary>The size set for the partition or LV <paramref name="device"/> is on, or null when the planner sizes
    /// it in proportion.</summary>
    public SizeRequest? SizeSet(string device) => CanSize(device) ? _sizes.GetValueOrDefault(MountlistChange.SizedDevice(Layout, device)) : null;

    /// <summary>What <paramref name="device"/> measures in the backup's layout, and what it will on the disks chosen
    /// with the sizes set (the proportional resize, before and after); a part is null when it is not known, the after
    /// when a disk the device is on has no target yet or it is all on disks left out (<see cref="LeftOut"/>). An array
    /// with members on a disk left out is restored degraded, and it and what it holds have an after.</summary>
    public (long? Before, long? After) SizeOf(string device)
    {
        try
        {
            var (before, after) = ResizePlan.Unchecked(Layout, Mapping, PlanOptions).SizeOf(device);
            var restored = !LeftOut(device) && new StorageStack(Layout).DisksUnder(device)
                .All(d => Mapping.TargetOf(d) is not null || Mapping.Skipped.Contains(d));
            return (before, restored ? after : null);
        }
        catch (RescueKitException)
        {
            return (null, null);
        }
    }

    /// <summary>True when every disk <paramref name="device"/> is on is left out: nothing of it is restored.</summary>
    public bool LeftOut(string device) => new StorageStack(Layout).DisksUnder(device) is { Count: > 0 } disks && disks.All(Mapping.Skipped.Contains);

    /// <summary>Every edit undone.</summary>
    public void ResetMountlist()
    {
        Layout = Source;
        _sizes.Clear();
        Mapping = MapNow();
    }

    /// <summary>The backup's sets (mount point → set name) with whether each is restored.</summary>
    public IReadOnlyList<(string MountPoint, string Set, bool Restored)> Sets =>
        AllSets.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value, !_leftOutSets.Contains(s.Key))).ToList();

    /// <summary>Restores the set of <paramref name="mountPoint"/>, or leaves it out (its filesystem is made, empty).</summary>
    public void Restore(string mountPoint, bool restored)
    {
        if (!AllSets.ContainsKey(mountPoint)) throw new BadInputException($"the backup has no set for {mountPoint}");
        if (restored) _leftOutSets.Remove(mountPoint); else _leftOutSets.Add(mountPoint);
    }

    /// <summary>The backup's sets; without a backup, those a backup of the layout's filesystems would have.</summary>
    private IReadOnlyDictionary<string, string> AllSets => Options.Sets ?? FilesystemMount.Of(Source)
        .Where(m => m.MountPoint.StartsWith('/'))
        .Select(m => m.MountPoint).Distinct(StringComparer.Ordinal)
        .ToDictionary(mp => mp, mp => Options.SetOf(mp)!, StringComparer.Ordinal);

    private RestorePlanOptions PlanOptions => Options with
    {
        SizesSet = new Dictionary<string, SizeRequest>(_sizes, StringComparer.Ordinal),
        Before = Source,
        Sets = AllSets.Where(s => !_leftOutSets.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal),
    };

    /// <summary>The mountlist's flaws, the mapping's gaps and the planner's own refusals, errors first.</summary>
    public IReadOnlyList<MountlistFlaw> Flaws
    {
        get
        {
            var flaws = MountlistFlaws.Of(Source, Layout, PlanOptions.Sets!.Keys).ToList();
            foreach (var gap in Mapping.Unmapped)
                flaws.Add(new(gap.Source, gap.IsAmbiguous
                    ? $"fits {string.Join(" and ", gap.Candidates)} equally well: choose its disk"
                    : $"no free disk here holds it (it needs {Core.Backup.ByteSize.Format(gap.RequiredSize)}): choose a bigger disk, or leave it out"));
            var skipped = Mapping.Skipped.ToHashSet(StringComparer.Ordinal);
            var stack = new StorageStack(Layout);
            foreach (var md in Layout.MdArrays)
                if (ArrayEdit.MissingMembers(md, m => stack.DisksUnder(m).All(d => !skipped.Contains(d))) is { } missing)
                    flaws.Add(new(md.Device, missing));
            try
            {
                flaws.AddRange(ResizePlan.Unchecked(Layout, Mapping, PlanOptions).Problems.Select(p => new MountlistFlaw(p.Device, p.Problem)));
            }
            catch (RescueKitException e)
            {
                flaws.Add(new(null, e.Message));
            }
            if (flaws.All(f => !f.IsError))
            {
                try
                {
                    _ = RestorePlanner.Plan(Layout, Mapping, PlanOptions);
                }
                catch (RescueKitException e)
                {
                    flaws.Add(new(null, e.Message));
                }
            }
            return flaws.OrderByDescending(f => f.IsError).ToList();
        }
    }

    /// <summary>The plan of the draft as it stands.</summary>
    /// <exception cref="RescueKitException">A flaw is an error (the first is named).</exception>
    public RestorePlan Plan()
    {
        if (Flaws.FirstOrDefault(f => f.IsError) is { } flaw)
            throw new BadInputException($"the plan cannot be made yet: {flaw}");
        return RestorePlanner.Plan(Layout, Mapping, PlanOptions);
    }
}
