using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.PartitionTables;

/// <summary>One 128-byte GPT partition entry (UEFI 2.x table 5-6). LBAs are 512-byte sectors; LastLba is inclusive.</summary>
public readonly record struct GptPartitionEntry(
    Guid PartitionTypeGuid, Guid UniquePartitionGuid, ulong StartingLba, ulong EndingLba, ulong Attributes, string PartitionName)
{
    public const int Length = 128;
    public const int PartitionNameLength = 72;

    /// <summary>Attribute bit 0: the platform requires the partition.</summary>
    public const ulong RequiredPartition = 1UL << 0;
    /// <summary>Attribute bit 2: legacy BIOS bootable, the partition syslinux's gptmbr.bin boots (UEFI 2.x table 5-7).</summary>
    public const ulong LegacyBiosBootable = 1UL << 2;
    /// <summary>Basic Data attribute bit 60: read-only.</summary>
    public const ulong BasicDataReadOnly = 1UL << 60;

    private const int PartitionTypeGuidOffset = 0;
    private const int UniquePartitionGuidOffset = PartitionTypeGuidOffset + 16;
    private const int StartingLbaOffset = UniquePartitionGuidOffset + 16;
    private const int EndingLbaOffset = StartingLbaOffset + 8;
    private const int AttributesOffset = EndingLbaOffset + 8;
    private const int PartitionNameOffset = AttributesOffset + 8;

    /// <summary>True for an unused slot of the entry array (type GUID all zero).</summary>
    public bool IsUnused => PartitionTypeGuid == Guid.Empty;

    /// <summary>Parses one 128-byte entry; the name stops at its first NUL.</summary>
    public static GptPartitionEntry Read(ReadOnlySpan<byte> entry)
    {
        entry = entry[..Length];
        var name = Encoding.Unicode.GetString(entry.Slice(PartitionNameOffset, PartitionNameLength));
        var nul = name.IndexOf('\0');
        return new(new Guid(entry.Slice(PartitionTypeGuidOffset, 16)), new Guid(entry.Slice(UniquePartitionGuidOffset, 16)),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[StartingLbaOffset..]), BinaryPrimitives.ReadUInt64LittleEndian(entry[EndingLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[AttributesOffset..]), nul < 0 ? name : name[..nul]);
    }

    public void WriteTo(Span<byte> entry)
    {
        entry = entry[..Length];
        entry.Clear();
        // Guid.TryWriteBytes gives the mixed-endian on-disk order GPT uses (Data1-3 LE, then 8 bytes as-is).
        PartitionTypeGuid.TryWriteBytes(entry[PartitionTypeGuidOffset..]);
        UniquePartitionGuid.TryWriteBytes(entry[UniquePartitionGuidOffset..]);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[StartingLbaOffset..], StartingLba);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[EndingLbaOffset..], EndingLba);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[AttributesOffset..], Attributes);
        var name = Encoding.Unicode.GetBytes(PartitionName);
        if (name.Length > PartitionNameLength)
            throw new ArgumentException($"GPT partition name '{PartitionName}' exceeds 36 UTF-16 code units", nameof(PartitionName));
        name.CopyTo(entry[PartitionNameOffset..]);
    }
}
