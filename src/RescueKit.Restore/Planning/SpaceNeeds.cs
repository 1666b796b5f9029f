namespace RescueKit.Restore.Planning;

/// <summary>
/// The bytes each block device of the layout needs at the least, from the filesystems on top of it down to the
/// partitions: an md member a share of its array plus its superblock, a LUKS device its container plus the header, a
/// PV its share of the VG at the factor the most demanding LV needs. It tells the disk mapper which smaller disks can
/// still hold a source disk; the planner checks the plan it makes exactly, filesystem by filesystem.
/// </summary>
internal sealed class SpaceNeeds(StorageStack stack, RestorePlanOptions options)
{
    private const long MiB = 1 << 20;
    private readonly Dictionary<string, long> _known = new(StringComparer.Ordinal);

    public long Of(string device)
    {
        if (_known.TryGetValue(device, out var known)) return known;
        _known[device] = MiB; // a loop in a damaged layout ends here
        return _known[device] = Compute(device);
    }

    private long Compute(string device)
    {
        var layout = stack.Layout;
        var old = stack.Old(device) ?? 0;
        var needs = new List<long> { MiB };
        needs.AddRange(layout.Filesystems.Where(f => f.Device == device).Select(f => DataFit.Need(f, options)));
        if (layout.Swaps.Any(s => s.Device == device)) needs.Add(MiB);
        if (stack.ArrayOn(device) is { } md && stack.Old(md.Device) is { } mdSize)
        {
            var data = StorageStack.DataDisks(md);
            var members = stack.MemberSizes(md).DefaultIfEmpty(old).ToList();
            // A linear array's members each hold their part of it; the others hold a 1/data share each.
            needs.Add(StorageStack.IsSum(md)
                ? (long)((double)Of(md.Device) * old / members.Sum()) + (members.Sum() - mdSize) / members.Count
                : Of(md.Device) / data + (members.Min() - mdSize / data));
        }
        if (stack.LuksOn(device) is { } luks && stack.Old(StorageStack.MappedPath(luks)) is { } mapped)
            needs.Add(Of(StorageStack.MappedPath(luks)) + (old - mapped));
        if (stack.PhysicalVolumeOn(device) is { } pv && layout.Lvm.VolumeGroups.FirstOrDefault(v => v.Name == pv.VolumeGroup) is { } vg && vg.Size > 0)
        {
            var factor = vg.LogicalVolumes.Select(lv => (double)StorageStack.LvPaths(vg, lv).Max(Of) / lv.Size).DefaultIfEmpty(0).Max();
            var used = vg.LogicalVolumes.Sum(lv => StorageStack.Consumption(lv, lv.Size));
            // VolumeResize keeps max(1 %, 4 extents) free; the capacity must hold the LVs at that factor besides it.
            var capacity = Math.Max(factor * vg.Size, factor * used * 1.01 + 4 * vg.ExtentSize);
            var share = pv.Size / vg.ExtentSize * vg.ExtentSize;
            needs.Add((long)Math.Ceiling(capacity / vg.Size * share) + vg.ExtentSize + (old - share));
        }
        return needs.Max();
    }
}
