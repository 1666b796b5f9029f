namespace RescueKit.Core.Layout;

/// <summary>What one device of the mountlist holds.</summary>
public enum MountlistRole
{
    Filesystem,
    Swap,
    RaidMember,
    PhysicalVolume,
    Luks,
}
