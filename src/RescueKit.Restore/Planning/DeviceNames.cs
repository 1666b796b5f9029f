namespace RescueKit.Restore.Planning;

/// <summary>The kernel's and device-mapper's names for the devices a plan makes.</summary>
internal static class DeviceNames
{
    /// <summary>A partition: a "p" between a disk name that ends in a digit and the number (nvme0n1p1, mmcblk0p1,
    /// loop0p1, md0p1), none otherwise (sda1, vda1).</summary>
    public static string Partition(string disk, int number)
        => char.IsAsciiDigit(disk[^1]) ? $"{disk}p{number}" : $"{disk}{number}";

    /// <summary>A logical volume's device-mapper node, which layouts name as often as /dev/VG/LV: a "-" in either name
    /// is doubled, and one "-" joins them (vg0/root → /dev/mapper/vg0-root, my-vg/lv → /dev/mapper/my--vg-lv).</summary>
    public static string Mapper(string volumeGroup, string logicalVolume)
        => $"/dev/mapper/{volumeGroup.Replace("-", "--", StringComparison.Ordinal)}-{logicalVolume.Replace("-", "--", StringComparison.Ordinal)}";
}
