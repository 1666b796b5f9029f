using System.Buffers.Binary;
using L = RescueKit.Formats.Fat.FatDirectoryEntryLayout;

namespace RescueKit.Formats.Fat;

/// <summary>Serialises directory entries and FAT dates (formats.md §10).</summary>
internal static class FatDirectoryEntry
{
    /// <summary>A short entry; the first cluster is split in two halves (the high half is 0 on FAT12/16).</summary>
    public static void WriteShort(Span<byte> entry, ReadOnlySpan<byte> name11, byte attr, byte ntRes,
        uint firstCluster, uint fileSize, DateTime timestamp)
    {
        entry[..L.EntrySize].Clear();
        name11.CopyTo(entry[L.Name..]);
        entry[L.Attr] = attr;
        entry[L.NTRes] = ntRes;
        ushort date = EncodeDate(timestamp), time = EncodeTime(timestamp);
        // Time fields have 2-second resolution; the creation tenth carries the odd second (units of 10 ms).
        entry[L.CrtTimeTenth] = (byte)(timestamp.Second % 2 * 100);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[L.CrtTime..], time);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[L.CrtDate..], date);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[L.LstAccDate..], date);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[L.FstClusHI..], (ushort)(firstCluster >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(entry[L.WrtTime..], time);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[L.WrtDate..], date);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[L.FstClusLO..], (ushort)firstCluster);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[L.FileSize..], fileSize);
    }

    /// <summary>Number of long-name entries <paramref name="longName"/> needs.</summary>
    public static int LongEntryCount(string longName) => (longName.Length + L.UnitsPerLongEntry - 1) / L.UnitsPerLongEntry;

    /// <summary>
    /// Writes the long-name entries in stored order: the last part first (ordinal | 0x40), down to ordinal 1, each
    /// carrying the short name's checksum. After the name comes one 0x0000, then 0xFFFF padding.
    /// </summary>
    public static void WriteLong(Span<byte> entries, string longName, byte checksum)
    {
        int count = LongEntryCount(longName);
        for (int ordinal = count; ordinal >= 1; ordinal--)
        {
            var entry = entries.Slice((count - ordinal) * L.EntrySize, L.EntrySize);
            entry.Clear();
            entry[L.LdirOrd] = (byte)(ordinal | (ordinal == count ? L.LastLongEntry : 0));
            entry[L.LdirAttr] = L.AttrLongName;
            entry[L.LdirChksum] = checksum;
            int first = (ordinal - 1) * L.UnitsPerLongEntry;
            for (int i = 0; i < L.UnitsPerLongEntry; i++)
            {
                int index = first + i;
                ushort unit = index < longName.Length ? longName[index] : index == longName.Length ? (ushort)0 : (ushort)0xFFFF;
                int offset = i < L.LdirName1Units ? L.LdirName1 + 2 * i
                    : i < L.LdirName1Units + L.LdirName2Units ? L.LdirName2 + 2 * (i - L.LdirName1Units)
                    : L.LdirName3 + 2 * (i - L.LdirName1Units - L.LdirName2Units);
                BinaryPrimitives.WriteUInt16LittleEndian(entry[offset..], unit);
            }
        }
    }

    /// <summary>((year - 1980) &lt;&lt; 9) | (month &lt;&lt; 5) | day.</summary>
    public static ushort EncodeDate(DateTime t) => (ushort)(((t.Year - 1980) << 9) | (t.Month << 5) | t.Day);

    /// <summary>(hour &lt;&lt; 11) | (minute &lt;&lt; 5) | (second / 2).</summary>
    public static ushort EncodeTime(DateTime t) => (ushort)((t.Hour << 11) | (t.Minute << 5) | (t.Second / 2));
}
