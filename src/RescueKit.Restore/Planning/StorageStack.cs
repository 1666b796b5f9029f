using RescueKit.Core.Layout;

namespace RescueKit.Restore.Planning;

/// <summary>
/// What sits on what in a layout, and how big each block device was, by its source name: disks, partitions, md arrays,
/// LVs (under /dev/VG/LV and /dev/mapper/VG-LV, the name filesystems are recorded under) and open LUKS containers.
/// </summary>
internal sealed class StorageStack
{
    private const long MiB = 1 << 20;
    private readonly Dictionary<string, long> _old = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (LvmVolumeGroup Vg, LvmLogicalVolume Lv)> _lvs = new(StringComparer.Ordinal);

    public HostLayout Layout { get; }

    public StorageStack(HostLayout layout)
    {
        Layout = layout;
        foreach (var disk in layout.Disks)
        {
            _old[disk.Path] = disk.Size;
            foreach (var p in disk.Partitions) _old[p.Device] = p.SizeSectors * disk.LogicalSectorSize;
        }
        foreach (var vg in layout.Lvm.VolumeGroups)
            foreach (var lv in vg.LogicalVolumes)
                foreach (var path in LvPaths(vg, lv))
                {
                    _old[path] = lv.Size;
                    _lvs[path] = (vg, lv);
                }
        foreach (var md in layout.MdArrays)
            _old[md.Device] = md.Size ?? MemberSizes(md).DefaultIfEmpty(0).Min() * DataDisks(md);
        foreach (var luks in layout.Luks)
            if (Old(luks.Device) is { } under)
                _old[MappedPath(luks)] = layout.Filesystems.FirstOrDefault(f => f.Device == MappedPath(luks))?.Size
                    // LUKS2 puts its data after a 16 MiB header by default, LUKS1 after 2 MiB.
                    ?? under - (luks.Version == 2 ? 16 : 2) * MiB;
    }

    public static IEnumerable<string> LvPaths(LvmVolumeGroup vg, LvmLogicalVolume lv) =>
        new[] { lv.Path ?? $"/dev/{vg.Name}/{lv.Name}", $"/dev/mapper/{vg.Name.Replace("-", "--")}-{lv.Name.Replace("-", "--")}" }.Distinct();

    public static string MappedPath(LuksDevice luks) => $"/dev/mapper/{luks.MappedName ?? $"luks-{luks.Uuid}"}";

    /// <summary>The device's size in the layout, or null when the layout does not say.</summary>
    public long? Old(string device) => _old.TryGetValue(device, out var size) ? size : null;

    public (LvmVolumeGroup Vg, LvmLogicalVolume Lv)? LogicalVolume(string device) => _lvs.TryGetValue(device, out var lv) ? lv : null;

    public MdArray? ArrayOn(string device) => Layout.MdArrays.FirstOrDefault(m => m.Members.Any(x => x.Device == device) || m.Spares.Contains(device));

    public MdArray? Array(string device) => Layout.MdArrays.FirstOrDefault(m => m.Device == device);

    public LuksDevice? LuksOn(string device) => Layout.Luks.FirstOrDefault(l => l.Device == device);

    public LuksDevice? Luks(string mapped) => Layout.Luks.FirstOrDefault(l => MappedPath(l) == mapped);

    public LvmPhysicalVolume? PhysicalVolumeOn(string device) => Layout.Lvm.PhysicalVolumes.FirstOrDefault(p => p.Device == device && p.VolumeGroup is not null);

    /// <summary>The devices <paramref name="device"/> is made on: an array's members, a container's device, an LV's PVs.</summary>
    public IEnumerable<string> Under(string device)
    {
        if (Array(device) is { } md) return md.Members.Select(m => m.Device);
        if (Luks(device) is { } luks) return [luks.Device];
        if (LogicalVolume(device) is { } lv)
            return Layout.Lvm.PhysicalVolumes.Where(p => p.VolumeGroup == lv.Vg.Name).Select(p => p.Device);
        return [];
    }

    /// <summary><paramref name="device"/> and every device under it, down to the partitions and disks.</summary>
    public IEnumerable<string> SelfAndBelow(string device)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([device]);
        while (stack.TryPop(out var d))
        {
            if (!seen.Add(d)) continue;
            yield return d;
            foreach (var under in Under(d)) stack.Push(under);
        }
    }

    /// <summary>The layout's disks <paramref name="device"/> sits on.</summary>
    public IReadOnlyList<string> DisksUnder(string device)
    {
        var below = SelfAndBelow(device).ToHashSet(StringComparer.Ordinal);
        return Layout.Disks.Where(d => below.Contains(d.Path) || d.Partitions.Any(p => below.Contains(p.Device))).Select(d => d.Path).ToList();
    }

    public IEnumerable<long> MemberSizes(MdArray md) => md.Members.Select(m => Old(m.Device)).OfType<long>();

    /// <summary>How many members' worth of data the array holds: the array is that many times its smallest member,
    /// less each member's superblock and bitmap. Linear arrays add up instead (see <see cref="IsSum"/>).</summary>
    public static int DataDisks(MdArray md)
    {
        var n = Math.Max(1, md.Members.Count);
        return md.Level switch
        {
            "raid0" or "linear" => n,
            "raid1" => 1,
            "raid4" or "raid5" => Math.Max(1, n - 1),
            "raid6" => Math.Max(1, n - 2),
            // n2, f2, o2: the digit is how many copies of each chunk there are.
            "raid10" => Math.Max(1, n / (md.Layout is { Length: > 1 } l && char.IsAsciiDigit(l[^1]) ? l[^1] - '0' : 2)),
            _ => 1,
        };
    }

    public static bool IsSum(MdArray md) => md.Level == "linear";

    /// <summary>The bytes LVM takes from its VG for <paramref name="size"/> bytes of <paramref name="lv"/>: every
    /// mirror image for raid1; nothing for a thin volume, which lives in its pool.</summary>
    public static long Consumption(LvmLogicalVolume lv, long size) => lv.SegmentType switch
    {
        "thin" => 0,
        "raid1" or "mirror" => size * Math.Max(2, lv.Stripes),
        _ => size,
    };
}
