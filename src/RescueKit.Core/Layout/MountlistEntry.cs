namespace RescueKit.Core.Layout;

/// <summary>
/// One row of the mountlist: a device and what it holds. <see cref="MountPoint"/> is, as in Mondo's mountlist, the
/// mount point of a filesystem (null when it is not mounted), or "swap", "raid", "lvm" or "luks" for the rest;
/// <see cref="Format"/> the filesystem type, or what the device belongs to ("/dev/md0 raid1", "lvm pv vg0").
/// </summary>
public sealed record MountlistEntry(MountlistRole Role, string Device, string? MountPoint, string Format, long? Size,
    string? Label, string? Uuid);
