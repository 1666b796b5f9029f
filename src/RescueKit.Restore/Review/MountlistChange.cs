using RescueKit.Core.Layout;
using RescueKit.Restore.Planning;

namespace RescueKit.Restore.Review;

/// <summary>
/// One edit of the mountlist: on a filesystem or swap entry its mount point, type or label, or the entry dropped; on
/// a partition or an LV (or what sits on one: its filesystem, swap, PV, RAID member or LUKS container) its size; on an
/// md array its RAID level and members. Null fields keep what the layout has; an empty <see cref="MountPoint"/> leaves
/// the filesystem unmounted (made, not restored). <see cref="PlanDraft.Edit"/> takes it.
/// </summary>
public sealed record MountlistChange(string Device)
{
    /// <summary>The size of the partition or LV the entry is on, kept by the planner (<see cref="SizeRequest"/>).</summary>
    public SizeRequest? Size { get; init; }

    /// <summary>The size set before is forgotten: the planner resizes the entry in proportion again.</summary>
    public bool ResetSize { get; init; }

    /// <summary>The md array's RAID level (raid1, raid5...).</summary>
    public string? Level { get; init; }

    /// <summary>The md array's members, in slot order.</summary>
    public IReadOnlyList<string>? Members { get; init; }

    public string? MountPoint { get; init; }
    public string? Type { get; init; }
    public string? Label { get; init; }

    /// <summary>The entry is left out: the filesystem or swap is not made, and nothing is restored into it.</summary>
    public bool Drop { get; init; }

    private bool ChangesEntry => MountPoint is not null || Type is not null || Label is not null || Drop;

    /// <summary>The layout with this change's entry and array fields made (sizes are the draft's to keep); for those
    /// the device must be a filesystem or swap of it, or an md array.</summary>
    public HostLayout ApplyTo(HostLayout layout)
    {
        if (Level is not null || Members is not null) layout = ArrayEdit.Apply(layout, Device, Level, Members);
        return ChangesEntry ? ApplyToEntry(layout) : layout;
    }

    /// <summary>The partition or LV whose size <see cref="Size"/> sets: the device itself, or the one under a LUKS
    /// container's mapping.</summary>
    /// <exception cref="BadInputException">The device has no size of its own (an md array, a whole disk).</exception>
    public static string SizedDevice(HostLayout layout, string device)
    {
        if (layout.Disks.SelectMany(d => d.Partitions).Any(p => p.Device == device)) return device;
        foreach (var vg in layout.Lvm.VolumeGroups)
            foreach (var lv in vg.LogicalVolumes)
                if (StorageStack.LvPaths(vg, lv).Contains(device))
                    return StorageStack.LvPaths(vg, lv).First();
        if (layout.Luks.FirstOrDefault(l => StorageStack.MappedPath(l) == device) is { } luks) return SizedDevice(layout, luks.Device);
        if (layout.MdArrays.FirstOrDefault(m => m.Device == device) is { } md)
            throw new Core.BadInputException($"{device} has no size of its own: a {md.Level} array follows its members ({string.Join(", ", md.Members.Select(m => m.Device))}): set theirs");
        throw new Core.BadInputException($"{device} has no size of its own here: only partitions and logical volumes are sized");
    }

    private HostLayout ApplyToEntry(HostLayout layout)
    {
        var fs = layout.Filesystems.FirstOrDefault(f => f.Device == Device);
        var swap = layout.Swaps.FirstOrDefault(s => s.Device == Device);
        if (fs is null && swap is null)
            throw new Core.BadInputException($"{Device} holds no filesystem or swap in the layout: only those entries are edited here");
        if (Drop)
            return layout with
            {
                Filesystems = layout.Filesystems.Where(f => f.Device != Device).ToList(),
                Swaps = layout.Swaps.Where(s => s.Device != Device).ToList(),
            };
        if (swap is not null)
        {
            if (Type is not null && Type != "swap") throw new Core.BadInputException($"{Device} is swap: drop it to use the device for something else");
            return layout with { Swaps = layout.Swaps.Select(s => s.Device == Device ? s with { Label = Label ?? s.Label } : s).ToList() };
        }
        var changed = fs! with
        {
            MountPoint = MountPoint is null ? fs.MountPoint : MountPoint.Length == 0 ? null : MountPoint,
            Type = Type ?? fs.Type,
            Label = Label ?? fs.Label,
        };
        // Another type keeps none of the old type's mkfs parameters.
        if (changed.Type != fs.Type) changed = changed with { Ext = null, Xfs = null, Btrfs = null, Vfat = null, MountOptions = null };
        return layout with { Filesystems = layout.Filesystems.Select(f => f.Device == Device ? changed : f).ToList() };
    }
}
