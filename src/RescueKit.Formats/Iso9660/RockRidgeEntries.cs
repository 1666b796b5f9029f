namespace RescueKit.Formats.Iso9660;

/// <summary>Which Rock Ridge entries each record carries (formats.md §5), packed into System Use areas.</summary>
internal static class RockRidgeEntries
{
    /// <summary>PX and TF: the attributes every record carries, including "." and "..".</summary>
    public static List<byte[]> Attributes(IsoNode node)
    {
        var m = node.Meta;
        var nlink = node is IsoDirectory d ? 2 + d.Children.Values.Count(c => c is IsoDirectory) : 1;
        return [RockRidge.Px(node.FileTypeBits | (m.Permissions & 0xFFF), nlink, m.Uid, m.Gid), RockRidge.Tf(m.ModificationTime)];
    }

    /// <summary>The "." record of a directory; the root's also starts with SP and announces RRIP with ER.</summary>
    public static SystemUseArea Dot(IsoDirectory dir)
    {
        var entries = Attributes(dir);
        if (dir.Parent is null)
        {
            entries.Insert(0, RockRidge.Sp());
            entries.Add(RockRidge.Er());
        }
        return SystemUseArea.Pack(entries, DirectoryRecord.SystemUseCapacity(1));
    }

    /// <summary>A named record: attributes, PN for devices, NM with the real name, SL for symlinks.</summary>
    public static SystemUseArea Named(IsoNode node)
    {
        var entries = Attributes(node);
        if (node is IsoDevice dev) entries.Add(RockRidge.Pn(dev.Major, dev.Minor));
        entries.AddRange(RockRidge.Nm(node.Name));
        if (node is IsoSymlink link) entries.AddRange(RockRidge.Sl(link.Target));
        return SystemUseArea.Pack(entries, DirectoryRecord.SystemUseCapacity(node.IsoName.Length));
    }
}
