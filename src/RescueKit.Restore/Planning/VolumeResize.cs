using RescueKit.Core.Layout;

namespace RescueKit.Restore.Planning;

/// <summary>A VG whose PVs change size: its estimated capacity, and each LV's new size (by LV name).</summary>
internal sealed record VolumeGroupResize(string Name, long OldCapacity, long NewCapacity, long Margin, double Factor,
    IReadOnlyDictionary<string, long> Sizes);

/// <summary>
/// LV sizes scaled within their VG when the devices under its PVs change size. The new capacity is an estimate (LVM's
/// metadata area and extent rounding are taken to cost what they cost before), so a margin of max(1 %, 4 extents) of the
/// VG is kept free: lvcreate refuses an LV the VG cannot hold, and a refused step half-way through a restore is worse
/// than a few MiB left free.
/// </summary>
internal static class VolumeResize
{
    /// <param name="devices">Each PV of the VG with its device's size before and after (the same when its disk is
    /// not restored, so that leaving a disk out is not mistaken for shrinking).</param>
    /// <param name="asked">The size a person set for an LV, or null. A set size is kept (in whole extents); when an LV
    /// takes "the rest", it alone fills what the VG has left (less the margin) and the others keep their sizes; else
    /// the LVs with no size set are scaled by one factor, never above the VG's own growth.</param>
    /// <returns>Null when the VG's capacity does not change and no size is set.</returns>
    public static VolumeGroupResize? Resize(LvmVolumeGroup vg, IReadOnlyList<(LvmPhysicalVolume Pv, long OldDevice, long NewDevice)> devices,
        Func<LvmLogicalVolume, SizeRequest?> asked)
    {
        var extent = vg.ExtentSize;
        long oldCapacity = 0, newCapacity = 0;
        foreach (var (pv, oldDevice, newDevice) in devices)
        {
            var share = pv.Size / extent * extent;
            var overhead = oldDevice - share;
            oldCapacity += share;
            newCapacity += Math.Max(0, newDevice - overhead) / extent * extent;
        }
        if (vg.Size > 0 && devices.Count > 0 && oldCapacity != vg.Size)
            oldCapacity = vg.Size; // pv.Size was rounded differently: the VG's own count is the truth
        var requests = vg.LogicalVolumes.ToDictionary(lv => lv.Name, asked, StringComparer.Ordinal);
        var anyAsked = requests.Values.Any(r => r is not null);
        if ((newCapacity == oldCapacity && !anyAsked) || oldCapacity == 0) return null;

        var margin = Math.Max((long)Math.Ceiling(newCapacity * 0.01 / extent), 4) * extent;
        var anyRest = requests.Values.Any(r => r?.Rest == true);
        bool IsScaled(LvmLogicalVolume lv) => anyRest ? requests[lv.Name]?.Rest == true : requests[lv.Name] is null;
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var lv in vg.LogicalVolumes.Where(lv => !IsScaled(lv)))
            sizes[lv.Name] = requests[lv.Name] is { Rest: false } r ? Rounded(lv, r.BytesFor(lv.Size)!.Value, extent) : lv.Size;
        var others = vg.LogicalVolumes.Where(lv => !IsScaled(lv)).Sum(lv => StorageStack.Consumption(lv, sizes[lv.Name]));
        var used = vg.LogicalVolumes.Where(IsScaled).Sum(lv => StorageStack.Consumption(lv, lv.Size));
        var factor = anyRest ? double.MaxValue : (double)newCapacity / oldCapacity;
        if (used > 0) factor = Math.Min(factor, Math.Max(0, (double)(newCapacity - margin - others) / used));
        else if (anyRest) factor = 1;
        foreach (var lv in vg.LogicalVolumes.Where(IsScaled)) sizes[lv.Name] = Rounded(lv, (long)(lv.Size * factor), extent);
        return new VolumeGroupResize(vg.Name, oldCapacity, newCapacity, margin, factor, sizes);
    }

    /// <summary>Rounded down to whole extents, and for striped LVs to whole stripes, since lvcreate rounds up.</summary>
    private static long Rounded(LvmLogicalVolume lv, long bytes, long extent)
    {
        var unit = extent * (lv.SegmentType == "striped" ? Math.Max(1, lv.Stripes) : 1);
        return Math.Max(unit, bytes / unit * unit);
    }
}
