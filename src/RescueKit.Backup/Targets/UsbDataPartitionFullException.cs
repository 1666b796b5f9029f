using RescueKit.Core;

namespace RescueKit.Backup.Targets;

/// <summary>
/// The backup did not fit the data partition of a stick: how much was free before it and how much the file systems
/// backed up hold, so the caller can say how big a stick must be (the set written so far is removed).
/// </summary>
public sealed class UsbDataPartitionFullException(UsbDataPartition partition, long freeBytes, long sourceBytes, Exception inner)
    : RescueKitException($"the backup does not fit the data partition of {partition.Disk}", ExitCodes.BadInput, inner)
{
    public UsbDataPartition Partition { get; } = partition;
    public long FreeBytes { get; } = freeBytes;
    /// <summary>What the source file systems say they use: the backup (compressed) is not bigger than that.</summary>
    public long SourceBytes { get; } = sourceBytes;

    /// <summary>
    /// The disk size that holds the backup with room to spare: the missing space with an eighth more for ext4's
    /// per-file block rounding and the catalog, rounded up to a MiB.
    /// </summary>
    public long NeededDiskBytes
    {
        get
        {
            const long MiB = 1024 * 1024;
            var missing = Math.Max(0, SourceBytes - FreeBytes);
            var needed = Partition.DiskBytes + missing + missing / 8 + 16 * MiB;
            return (needed + MiB - 1) / MiB * MiB;
        }
    }
}
