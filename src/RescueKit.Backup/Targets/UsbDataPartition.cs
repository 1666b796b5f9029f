namespace RescueKit.Backup.Targets;

/// <summary>
/// The data partition of a stick just written, by its byte range on the disk or image (<paramref name="Disk"/>): mounted
/// through a loop device of that range, because the kernel may not have re-read a device's new partition table and
/// cannot see the partitions of an image at all (docs/usb.md).
/// </summary>
/// <param name="DiskBytes">The whole disk's or image's size, to say how big a stick must be when the backup does not fit.</param>
public sealed record UsbDataPartition(string Disk, long Offset, long Bytes, long DiskBytes, string Label);
