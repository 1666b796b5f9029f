using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.Tests.Fat;

/// <summary>A minimal FAT reader for tests: geometry from the BPB, directories followed one cluster chain at a time.</summary>
internal sealed class FatImageReader(byte[] image)
{
    public sealed record Entry(string Name, byte Attr, byte NTRes, uint Cluster, uint Size);

    private int Rsvd => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(14));
    private int Spc => image[13];
    private int RootEntCnt => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(17));
    private uint FatSz => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(22)) is var f and not 0 ? f : BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(36));
    private bool IsFat32 => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(22)) == 0;
    private long RootStart => (Rsvd + 2 * FatSz) * 512L;
    private long FirstData => RootStart + RootEntCnt * 32L;

    /// <summary>The root's cluster on FAT32; 0 stands for the fixed FAT12/16 root region.</summary>
    public uint RootCluster => IsFat32 ? BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(44)) : 0;

    /// <summary>Short entries (LFN entries skipped) of the directory's first cluster, or of the FAT12/16 root region.</summary>
    public List<Entry> ReadDirectory(uint cluster)
    {
        var (start, length) = cluster == 0 ? (RootStart, RootEntCnt * 32) : (FirstData + (cluster - 2) * Spc * 512L, Spc * 512);
        var result = new List<Entry>();
        for (long at = start; at < start + length; at += 32)
        {
            var e = image.AsSpan((int)at, 32);
            if (e[0] == 0) break;
            if (e[11] == 0x0F) continue;
            uint first = (uint)(BinaryPrimitives.ReadUInt16LittleEndian(e[20..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(e[26..]);
            result.Add(new Entry(Encoding.ASCII.GetString(e[..11]), e[11], e[12], first, BinaryPrimitives.ReadUInt32LittleEndian(e[28..])));
        }
        return result;
    }
}
