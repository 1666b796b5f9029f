using RescueKit.Core.Layout;

namespace RescueKit.Restore.Review;

/// <summary>
/// One edit of the mountlist on a filesystem or swap entry, applied to the layout the plan is made from. Null fields
/// keep what the layout has; an empty <see cref="MountPoint"/> leaves the filesystem unmounted (made, not restored).
/// </summary>
public sealed record MountlistChange(string Device)
{
    public string? MountPoint { get; init; }
    public string? Type { get; init; }
    public string? Label { get; init; }

    /// <summary>The entry is left out: the filesystem or swap is not made, and nothing is restored into it.</summary>
    public bool Drop { get; init; }

    /// <summary>The layout with this change made; the device must be a filesystem or swap of it.</summary>
    public HostLayout ApplyTo(HostLayout layout)
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
