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
    /// <returns>Null when the VG's capacity does not change.</returns>
    public static VolumeGroupResize? Resize(LvmVolumeGroup vg, IReadOnlyList<(LvmPhysicalVolume Pv, long OldDevice, long NewDevice)> devices)
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
        if (newCapacity == oldCapacity || oldCapacity == 0) return null;

        var margin = Math.Max((long)Math.Ceiling(newCapacity * 0.01 / extent), 4) * extent;
        var used = vg.LogicalVolumes.Sum(lv => StorageStack.Consumption(lv, lv.Size));
        var factor = (double)newCapacity / oldCapacity;
        if (used > 0) factor = Math.Min(factor, (double)(newCapacity - margin) / used);
        var sizes = vg.LogicalVolumes.ToDictionary(lv => lv.Name, lv => Scaled(lv, factor, extent), StringComparer.Ordinal);
        return new VolumeGroupResize(vg.Name, oldCapacity, newCapacity, margin, factor, sizes);
    }

    /// <summary>Rounded down to whole extents, and for striped LVs to whole stripes, since lvcreate rounds up.</summary>
    private static long Scaled(LvmLogicalVolume lv, double factor, long extent)
    {
        var unit = extent * (lv.SegmentType == "striped" ? Math.Max(1, lv.Stripes) : 1);
        return Math.Max(unit, (long)(lv.Size * factor) / unit * unit);
    }
}
