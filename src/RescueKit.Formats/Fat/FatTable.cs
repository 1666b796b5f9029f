using System.Buffers.Binary;

namespace RescueKit.Formats.Fat;

/// <summary>Builds one copy of the file allocation table (formats.md §10 "Layout"); both copies are identical.</summary>
internal static class FatTable
{
    /// <summary>
    /// FAT[0] = media byte with the other bits set, FAT[1] = end of chain (its FAT16/FAT32 "clean" and "no error"
    /// bits set = OK), then one chain per extent: each cluster points at the next, the last holds end of chain.
    /// </summary>
    public static byte[] Build(FatGeometry geometry, byte media, IEnumerable<(uint FirstCluster, uint ClusterCount)> chains)
    {
        var table = new byte[geometry.FatSectors * (long)FatBootSectorLayout.SectorSize];
        var type = geometry.Type;
        uint endOfChain = EndOfChain(type);
        SetEntry(type, table, 0, (endOfChain & ~0xFFu) | media);
        SetEntry(type, table, 1, endOfChain);
        foreach (var (first, count) in chains)
            for (uint i = 0; i < count; i++)
                SetEntry(type, table, first + i, i == count - 1 ? endOfChain : first + i + 1);
        return table;
    }

    public static uint EndOfChain(FatType type) => type switch
    {
        FatType.Fat12 => 0xFFF,
        FatType.Fat16 => 0xFFFF,
        _ => 0x0FFFFFFF,
    };

    /// <summary>Stores entry <paramref name="n"/>. FAT12 packs two entries in three bytes: entry n is the u16 at
    /// n*3/2, low 12 bits for even n, high 12 bits for odd n (formats.md §10 "FAT12 packing").</summary>
    public static void SetEntry(FatType type, Span<byte> table, uint n, uint value)
    {
        switch (type)
        {
            case FatType.Fat12:
                int offset = (int)(n * 3 / 2);
                uint packed = BinaryPrimitives.ReadUInt16LittleEndian(table[offset..]);
                packed = (n & 1) == 0
                    ? (packed & 0xF000) | (value & 0x0FFF)
                    : (packed & 0x000F) | ((value & 0x0FFF) << 4);
                BinaryPrimitives.WriteUInt16LittleEndian(table[offset..], (ushort)packed);
                break;
            case FatType.Fat16:
                BinaryPrimitives.WriteUInt16LittleEndian(table[(int)(n * 2)..], (ushort)value);
                break;
            default:
                // FAT32 entries are 28 bits; the top 4 stay 0.
                BinaryPrimitives.WriteUInt32LittleEndian(table[(int)(n * 4)..], value & 0x0FFFFFFF);
                break;
        }
    }
}
