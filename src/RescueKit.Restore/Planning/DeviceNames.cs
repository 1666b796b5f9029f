namespace RescueKit.Restore.Planning;

/// <summary>The kernel's names for partitions: a "p" between a disk name that ends in a digit and the number
/// (nvme0n1p1, mmcblk0p1, loop0p1, md0p1), none otherwise (sda1, vda1).</summary>
public static class DeviceNames
{
    public static string Partition(string disk, int number)
        => char.IsAsciiDigit(disk[^1]) ? $"{disk}p{number}" : $"{disk}{number}";
}
