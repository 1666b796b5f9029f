using RescueKit.Core;
using RescueKit.Formats.PartitionTables;

namespace RescueKit.Media.Usb;

/// <summary>
/// Where the partitions of a RescueKit stick lie (docs/usb.md): two boot slots of equal size from 1 MiB, then the data
/// partition, all 1 MiB aligned, the backup GPT in the last 33 sectors. One slot is the ESP (partition name
/// <see cref="ActiveName"/>, FAT32, legacy BIOS bootable), the other the spare an update writes before switching over.
/// </summary>
public sealed record UsbLayout(long DiskBytes, long SlotBytes, long DataBytes)
{
    public const long MiB = 1024 * 1024;
    /// <summary>Partition alignment, as fdisk, parted and sgdisk align by default.</summary>
    public const long Alignment = MiB;
    /// <summary>Each boot slot holds at least this much, so a later rescue system with a bigger kernel or initramfs still fits.</summary>
    public const long MinimumSlotBytes = 256 * MiB;
    /// <summary>The smallest data partition worth making.</summary>
    public const long MinimumDataBytes = 64 * MiB;

    /// <summary>GPT partition names (UTF-16, at most 36): how a RescueKit stick is recognised.</summary>
    public const string ActiveName = "RESCUEKIT-BOOT", SpareName = "RESCUEKIT-SPARE", DataName = "RESCUEKIT-DATA";

    /// <summary>The ext4 label of the data partition, which `backup --to usb:` and 40-media look for.</summary>
    public const string DataLabel = "RESCUEKIT-DATA";

    public long SlotStart(int slot) => Alignment + slot * SlotBytes;
    public long DataStart => Alignment + 2 * SlotBytes;

    /// <summary>Everything after the data partition's end up to the backup GPT stays unused (at least the alignment tail).</summary>
    public static long UsableEnd(long diskBytes) => (diskBytes - GptDisk.TableBytes) / Alignment * Alignment;

    /// <summary>A slot twice the boot files (an update of the same size fits the spare however it grows), rounded up to 64 MiB.</summary>
    public static long SlotBytesFor(long bootFilesBytes) =>
        Math.Max(MinimumSlotBytes, (2 * bootFilesBytes + 64 * MiB - 1) / (64 * MiB) * (64 * MiB));

    /// <summary>The smallest disk that holds two slots of <paramref name="slotBytes"/> and the smallest data partition.</summary>
    public static long MinimumDiskBytes(long slotBytes) => Alignment + 2 * slotBytes + MinimumDataBytes + Alignment;

    /// <summary>The layout of a new stick; <paramref name="dataBytes"/> null = the rest of the disk.</summary>
    public static UsbLayout Plan(long diskBytes, long slotBytes, long? dataBytes, string target)
    {
        var minimum = MinimumDiskBytes(slotBytes) + Math.Max(0, (dataBytes ?? 0) - MinimumDataBytes);
        if (diskBytes < minimum)
            throw new BadInputException($"{target} holds {Size(diskBytes)}; a RescueKit stick with {(dataBytes is null ? "" : $"a {Size(dataBytes.Value)} data partition and ")}" +
                $"two {Size(slotBytes)} boot slots needs at least {Size(minimum)} ({minimum} bytes): use a bigger stick" +
                (dataBytes is null ? "" : " or a smaller --data-size"));
        var rest = UsableEnd(diskBytes) - Alignment - 2 * slotBytes;
        return new UsbLayout(diskBytes, slotBytes, dataBytes is { } d ? d / Alignment * Alignment : rest);
    }

    /// <summary>The GPT of this layout with <paramref name="active"/> (0 or 1) as the ESP.</summary>
    public GptDisk Table(Guid diskGuid, IReadOnlyList<Guid> partitionGuids, int active)
    {
        GptPartitionEntry Slot(int slot) => slot == active
            ? new(GptPartitionTypes.EfiSystem, partitionGuids[slot], Lba(SlotStart(slot)), Lba(SlotStart(slot) + SlotBytes) - 1,
                GptPartitionEntry.LegacyBiosBootable, ActiveName)
            : new(GptPartitionTypes.LinuxReserved, partitionGuids[slot], Lba(SlotStart(slot)), Lba(SlotStart(slot) + SlotBytes) - 1, 0, SpareName);
        return new GptDisk(diskGuid, (ulong)(DiskBytes / GptDisk.SectorSize),
        [
            Slot(0), Slot(1),
            new(GptPartitionTypes.LinuxFilesystem, partitionGuids[2], Lba(DataStart), Lba(DataStart + DataBytes) - 1, 0, DataName),
        ]);
    }

    /// <summary>
    /// The layout and active slot of a stick RescueKit made, from its GPT; null for anything else: three partitions,
    /// the two slots named <see cref="ActiveName"/> and <see cref="SpareName"/> (one each) of equal size from 1 MiB, the
    /// data partition named <see cref="DataName"/> right after them.
    /// </summary>
    public static (UsbLayout Layout, int Active)? Recognise(GptDisk table, long diskBytes)
    {
        var p = table.Partitions;
        if (p.Count != 3 || p[2].PartitionName != DataName) return null;
        int active = p[0].PartitionName == ActiveName && p[1].PartitionName == SpareName ? 0
            : p[1].PartitionName == ActiveName && p[0].PartitionName == SpareName ? 1 : -1;
        if (active < 0 || p[active].PartitionTypeGuid != GptPartitionTypes.EfiSystem) return null;
        var slot = Bytes(p[0].EndingLba + 1 - p[0].StartingLba);
        var layout = new UsbLayout(diskBytes, slot, Bytes(p[2].EndingLba + 1 - p[2].StartingLba));
        for (var i = 0; i < 2; i++)
            if (Bytes(p[i].StartingLba) != layout.SlotStart(i) || Bytes(p[i].EndingLba + 1 - p[i].StartingLba) != slot) return null;
        return Bytes(p[2].StartingLba) == layout.DataStart ? (layout, active) : null;
    }

    private static ulong Lba(long bytes) => (ulong)(bytes / GptDisk.SectorSize);
    private static long Bytes(ulong lba) => (long)lba * GptDisk.SectorSize;

    public static string Size(long bytes) => bytes >= 1024 * MiB ? $"{bytes / (1024.0 * MiB):F1} GiB" : $"{bytes / (double)MiB:F0} MiB";
}
