using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.PartitionTables;

/// <summary>Well-known GPT partition type GUIDs (UEFI 2.x 5.3.3 and the Microsoft/freedesktop registries).</summary>
internal static class GptPartitionTypes
{
    public static readonly Guid EfiSystem = new("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
    public static readonly Guid BasicData = new("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
    public static readonly Guid LinuxFilesystem = new("0FC63DAF-8483-4772-8E79-3D69D8477DE4");
    public static readonly Guid BiosBoot = new("21686148-6449-6E6F-744E-656564454649");
}

/// <summary>One 128-byte GPT partition entry (UEFI 2.x table 5-6). LBAs are 512-byte sectors; LastLba is inclusive.</summary>
internal readonly record struct GptPartitionEntry(
    Guid PartitionTypeGuid, Guid UniquePartitionGuid, ulong StartingLba, ulong EndingLba, ulong Attributes, string PartitionName)
{
    public const int Length = 128;
    public const int PartitionNameLength = 72;

    /// <summary>Attribute bit 0: the platform requires the partition.</summary>
    public const ulong RequiredPartition = 1UL << 0;
    /// <summary>Basic Data attribute bit 60: read-only.</summary>
    public const ulong BasicDataReadOnly = 1UL << 60;

    private const int PartitionTypeGuidOffset = 0;
    private const int UniquePartitionGuidOffset = PartitionTypeGuidOffset + 16;
    private const int StartingLbaOffset = UniquePartitionGuidOffset + 16;
    private const int EndingLbaOffset = StartingLbaOffset + 8;
    private const int AttributesOffset = EndingLbaOffset + 8;
    private const int PartitionNameOffset = AttributesOffset + 8;

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
