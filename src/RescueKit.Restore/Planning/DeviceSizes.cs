using RescueKit.Core.Layout;

namespace RescueKit.Restore.Planning;

/// <summary>
/// The size each block device of the layout gets once its disks' partitions are laid out anew: md arrays follow their
/// smallest member, LUKS containers their device, LVs their VG (<see cref="VolumeResize"/>). Each keeps the overhead
/// it had (superblocks, headers, metadata areas), since the restore creates it with the same parameters.
/// </summary>
internal sealed class DeviceSizes
{
    private readonly StorageStack _stack;
    private readonly Func<string, long?> _resized;
    private readonly Func<string, SizeRequest?> _asked;
    private readonly Func<string, bool> _leftOut;
    private readonly Dictionary<string, long?> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VolumeGroupResize?> _groups = new(StringComparer.Ordinal);

    /// <param name="resized">The new size of a disk or partition, or null when it keeps its size (or is not restored).</param>
    /// <param name="asked">The size a person set for an LV (by any of its paths), or null.</param>
    /// <param name="leftOut">Whether a disk or partition is on a disk that is not restored: an array made degraded
    /// without it is sized by the members it gets.</param>
    public DeviceSizes(StorageStack stack, Func<string, long?> resized, Func<string, SizeRequest?> asked, Func<string, bool> leftOut)
    {
        _stack = stack;
        _resized = resized;
        _asked = asked;
        _leftOut = leftOut;
    }

    public long? Old(string device) => _stack.Old(device);

    /// <summary>The device's size after the restore; its old size when nothing under it changes, null when unknown.</summary>
    public long? New(string device)
    {
        if (_known.TryGetValue(device, out var known)) return known;
        _known[device] = null; // a loop in a damaged layout ends here
        var size = Compute(device);
        _known[device] = size;
        return size;
    }

    /// <summary>The VG's resize, or null when its capacity does not change.</summary>
    public VolumeGroupResize? Group(LvmVolumeGroup vg)
    {
        if (_groups.TryGetValue(vg.Name, out var known)) return known;
        var devices = _stack.Layout.Lvm.PhysicalVolumes.Where(p => p.VolumeGroup == vg.Name)
            .Select(p => (p, Old: Old(p.Device), New: New(p.Device)))
            .Where(d => d.Old is not null && d.New is not null)
            .Select(d => (d.p, d.Old!.Value, d.New!.Value)).ToList();
        return _groups[vg.Name] = VolumeResize.Resize(vg, devices,
            lv => StorageStack.LvPaths(vg, lv).Select(_asked).FirstOrDefault(r => r is not null));
    }

    private long? Compute(string device)
    {
        if (_resized(device) is { } resized) return resized;
        var old = Old(device);
        if (_stack.Array(device) is { } md) return ArraySize(md, old);
        if (_stack.Luks(device) is { } luks)
            return New(luks.Device) is { } under && Old(luks.Device) is { } oldUnder && old is { } mapped ? under - (oldUnder - mapped) : old;
        if (_stack.LogicalVolume(device) is { } found)
            return Group(found.Vg) is { } group ? group.Sizes[found.Lv.Name] : old;
        return old;
    }

    private long? ArraySize(MdArray md, long? old)
    {
        // A member on a disk left out is not there to hold the array back: a RAID1 made degraded on a larger disk grows.
        var members = md.Members.Where(m => !_leftOut(m.Device)).Select(m => (Old: Old(m.Device), New: New(m.Device)))
            .Where(m => m.Old is not null && m.New is not null).ToList();
        if (old is null || members.Count == 0) return old;
        var data = StorageStack.DataDisks(md);
        if (StorageStack.IsSum(md))
        {
            var overhead = (members.Sum(m => m.Old!.Value) - old.Value) / members.Count;
            return members.Sum(m => m.New!.Value - overhead);
        }
        // What md reserves on each member (superblock, bitmap, data offset) is taken to stay what it was.
        var perMember = members.Min(m => m.Old!.Value) - old.Value / data;
        var unit = md.ChunkSize is > 0 ? md.ChunkSize.Value : 1;
        return (members.Min(m => m.New!.Value) - perMember) / unit * unit * data;
    }
}
