using System.Buffers.Binary;

namespace RescueKit.Formats.PartitionTables;

/// <summary>Byte offsets of a classic MBR sector, derived from the field lengths.</summary>
internal static class MbrLayout
{
    public const int SectorSize = 512;
    public const int BootCodeLength = 440;
    public const int DiskSignatureLength = 4;
    public const int EntryLength = 16;
    public const int EntryCount = 4;

    public const int DiskSignature = BootCodeLength;
    public const int Reserved = DiskSignature + DiskSignatureLength;
    public const int PartitionTable = Reserved + 2;
    public const int BootSignature = PartitionTable + EntryCount * EntryLength;

    /// <summary>The 0x55 0xAA at 510 that marks the sector as an MBR.</summary>
    public static ReadOnlySpan<byte> BootSignatureBytes => [0x55, 0xAA];
}

/// <summary>One 16-byte MBR partition table entry. CHS values are already encoded as the 3 on-disk bytes.</summary>
internal readonly record struct MbrPartitionEntry(
    byte Status, ChsAddress FirstChs, byte Type, ChsAddress LastChs, uint FirstLba, uint SectorCount)
{
    public const byte Active = 0x80;

    // Entry fields: status, CHS first, type, CHS last, LBA first, sector count (all LE).
    private const int StatusOffset = 0;
    private const int FirstChsOffset = StatusOffset + 1;
    private const int TypeOffset = FirstChsOffset + ChsAddress.Length;
    private const int LastChsOffset = TypeOffset + 1;
    private const int FirstLbaOffset = LastChsOffset + ChsAddress.Length;
    private const int SectorCountOffset = FirstLbaOffset + 4;

    public void WriteTo(Span<byte> entry)
    {
        entry = entry[..MbrLayout.EntryLength];
        entry.Clear();
        entry[StatusOffset] = Status;
        FirstChs.WriteTo(entry[FirstChsOffset..]);
        entry[TypeOffset] = Type;
        LastChs.WriteTo(entry[LastChsOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[FirstLbaOffset..], FirstLba);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[SectorCountOffset..], SectorCount);
    }
}

/// <summary>A cylinder/head/sector address as MBR entries store it: <c>[head][sector | cyl bits 8-9 &lt;&lt; 6][cyl bits 0-7]</c>.</summary>
internal readonly record struct ChsAddress(byte Head, byte SectorAndCylinderHigh, byte CylinderLow)
{
    public const int Length = 3;

    /// <summary><c>fe ff ff</c>: the usual "beyond CHS range" value; firmware uses the LBA fields anyway.</summary>
    public static ChsAddress OutOfRange => new(0xFE, 0xFF, 0xFF);

    /// <summary>Encodes (cylinder, head, sector), or <see cref="OutOfRange"/> when the cylinder exceeds 1023.</summary>
    public static ChsAddress From(int cylinder, int head, int sector) =>
        cylinder is < 0 or > 1023 || head is < 0 or > 255 || sector is < 1 or > 63
            ? OutOfRange
            : new((byte)head, (byte)(sector | ((cylinder >> 8) << 6)), (byte)(cylinder & 0xFF));

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Head;
        destination[1] = SectorAndCylinderHigh;
        destination[2] = CylinderLow;
    }
}
