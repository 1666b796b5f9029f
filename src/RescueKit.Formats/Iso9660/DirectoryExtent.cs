using System.Text;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// Serialises one directory of the ISO/Rock Ridge tree or of the Joliet tree. The planner measures a directory by
/// rendering it before LBAs are known (every field is fixed-width, so the length does not depend on them) and the
/// writer renders it again afterwards: one piece of code decides both the size and the bytes.
/// </summary>
internal static class DirectoryExtent
{
    /// <summary>Extent size of all but the last part of a multi-extent file: 4 GiB − 2 KiB, whole blocks (formats.md §4).</summary>
    public const uint MultiExtentSize = 0xFFFFF800;

    private readonly record struct Record(uint Lba, uint Size, DateTimeOffset Date, byte Flags, byte[] Identifier, SystemUseArea? SystemUse)
    {
        public int Length => DirectoryRecord.RecordLength(Identifier.Length, SystemUse?.RecordLength ?? 0);
    }

    public static byte[] RenderIso(IsoDirectory dir)
    {
        var parent = dir.Parent ?? dir;
        var records = new List<Record>
        {
            new(dir.IsoLba, dir.IsoSize, dir.Meta.ModificationTime, DirectoryRecord.FlagDirectory, [0], dir.DotSystemUse),
            new(parent.IsoLba, parent.IsoSize, parent.Meta.ModificationTime, DirectoryRecord.FlagDirectory, [1], DotDotSystemUse(parent)),
        };
        foreach (var child in dir.Children.Values.OrderBy(c => c.IsoName, Comparer<string>.Create(IsoNames.CompareIso)))
        {
            var id = Encoding.ASCII.GetBytes(child.IsoName);
            var date = child.Meta.ModificationTime;
            switch (child)
            {
                case IsoDirectory d:
                    records.Add(new(d.IsoLba, d.IsoSize, date, DirectoryRecord.FlagDirectory, id, child.NamedSystemUse));
                    break;
                case IsoFile f:
                    foreach (var (lba, size, flags) in FileExtents(f))
                        records.Add(new(lba, size, date, flags, id, child.NamedSystemUse));
                    break;
                default:
                    records.Add(new(0, 0, date, 0, id, child.NamedSystemUse));
                    break;
            }
        }
        return Lay(records);
    }

    public static byte[] RenderJoliet(IsoDirectory dir)
    {
        var parent = dir.Parent ?? dir;
        var records = new List<Record>
        {
            new(dir.JolietLba, dir.JolietSize, dir.Meta.ModificationTime, DirectoryRecord.FlagDirectory, [0], null),
            new(parent.JolietLba, parent.JolietSize, parent.Meta.ModificationTime, DirectoryRecord.FlagDirectory, [1], null),
        };
        foreach (var child in JolietChildren(dir))
        {
            var id = Encoding.BigEndianUnicode.GetBytes(child.JolietName!);
            var date = child.Meta.ModificationTime;
            if (child is IsoDirectory d)
                records.Add(new(d.JolietLba, d.JolietSize, date, DirectoryRecord.FlagDirectory, id, null));
            else
                foreach (var (lba, size, flags) in FileExtents((IsoFile)child))
                    records.Add(new(lba, size, date, flags, id, null));
        }
        return Lay(records);
    }

    /// <summary>Joliet holds directories and regular files only: symlinks and devices have no Joliet form.</summary>
    public static IEnumerable<IsoNode> JolietChildren(IsoDirectory dir) =>
        dir.Children.Values.Where(c => c.JolietName is not null)
            .OrderBy(c => c.JolietName!, Comparer<string>.Create(IsoNames.CompareJoliet));

    /// <summary>The (LBA, size, flags) of each record of a file: one, or several contiguous 0xFFFFF800-byte parts.</summary>
    public static IEnumerable<(uint Lba, uint Size, byte Flags)> FileExtents(IsoFile file)
    {
        var remaining = file.Content.Length;
        var lba = file.Lba;
        if (remaining == 0) { yield return (0, 0, 0); yield break; }
        if (remaining <= uint.MaxValue) { yield return (lba, (uint)remaining, 0); yield break; }
        while (remaining > 0)
        {
            var size = (uint)Math.Min(remaining, MultiExtentSize);
            remaining -= size;
            yield return (lba, size, remaining > 0 ? DirectoryRecord.FlagMultiExtent : (byte)0);
            lba += MultiExtentSize / IsoEncoding.BlockSize;
        }
    }

    private static SystemUseArea DotDotSystemUse(IsoDirectory parent) =>
        SystemUseArea.Pack(RockRidgeEntries.Attributes(parent), DirectoryRecord.SystemUseCapacity(1));

    /// <summary>Places records so that none crosses a 2048-byte block boundary (9.1, 6.8.1.1); the size is whole blocks.</summary>
    private static byte[] Lay(List<Record> records)
    {
        var offsets = new int[records.Count];
        var pos = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var len = records[i].Length;
            if (pos % IsoEncoding.BlockSize + len > IsoEncoding.BlockSize) pos += IsoEncoding.BlockSize - pos % IsoEncoding.BlockSize;
            offsets[i] = pos;
            pos += len;
        }
        var bytes = new byte[IsoEncoding.BlocksFor(pos) * IsoEncoding.BlockSize];
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            DirectoryRecord.Write(bytes.AsSpan(offsets[i]), r.Lba, r.Size, r.Date, r.Flags, r.Identifier, r.SystemUse);
        }
        return bytes;
    }
}
