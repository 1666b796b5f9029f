namespace RescueKit.Core.Layout;

/// <summary>What one device of the mountlist holds.</summary>
public enum MountlistRole
{
    Filesystem,
    Swap,
    RaidMember,
    PhysicalVolume,
    Luks,

    // The restore's mountlist editor lists these too, so that each can be sized or reshaped; Mountlist.Of does not.

    /// <summary>A partition that holds none of the above (BIOS boot, an empty one).</summary>
    Partition,

    /// <summary>An md array: its level and members.</summary>
    RaidArray,

    /// <summary>An LV that holds no filesystem or swap (a thin pool).</summary>
    LogicalVolume,
}
