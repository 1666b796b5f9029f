namespace RescueKit.Formats.Iso9660;

/// <summary>One object of the image tree, with the names and locations the planner assigns to it.</summary>
internal abstract class IsoNode(string name, UnixMetadata meta)
{
    public string Name { get; } = name;
    public UnixMetadata Meta { get; set; } = meta;
    public IsoDirectory? Parent { get; set; }

    /// <summary>Level-1 identifier, e.g. "MIXED_CA.TXT;1" (files) or "BOOT" (directories).</summary>
    public string IsoName { get; set; } = "";

    /// <summary>Joliet identifier, or null when the object is left out of the Joliet tree (symlinks, devices).</summary>
    public string? JolietName { get; set; }

    /// <summary>The Rock Ridge System Use data of this object's named record(s).</summary>
    public SystemUseArea? NamedSystemUse { get; set; }

    /// <summary>The POSIX file type bits of st_mode (RRIP PX).</summary>
    public abstract int FileTypeBits { get; }

    public string Path => Parent is null ? "" : Parent.Parent is null ? Name : Parent.Path + "/" + Name;
}

internal sealed class IsoDirectory(string name, UnixMetadata meta) : IsoNode(name, meta)
{
    public SortedDictionary<string, IsoNode> Children { get; } = new(StringComparer.Ordinal);
    public override int FileTypeBits => 0x4000;

    public uint IsoLba { get; set; }
    public uint IsoSize { get; set; }
    public uint JolietLba { get; set; }
    public uint JolietSize { get; set; }

    /// <summary>1-based directory numbers in the ISO and Joliet path tables (ECMA-119 6.9).</summary>
    public int IsoNumber { get; set; }
    public int JolietNumber { get; set; }

    /// <summary>System Use data of this directory's "." record (only the root's needs a CE, for the ER).</summary>
    public SystemUseArea? DotSystemUse { get; set; }
}

internal sealed class IsoFile(string name, UnixMetadata meta, FileContent content) : IsoNode(name, meta)
{
    public FileContent Content { get; set; } = content;
    public override int FileTypeBits => 0x8000;
    public uint Lba { get; set; }
}

internal sealed class IsoSymlink(string name, UnixMetadata meta, string target) : IsoNode(name, meta)
{
    public string Target { get; } = target;
    public override int FileTypeBits => 0xA000;
}

internal sealed class IsoDevice(string name, UnixMetadata meta, bool isBlock, int major, int minor) : IsoNode(name, meta)
{
    public bool IsBlock { get; } = isBlock;
    public int Major { get; } = major;
    public int Minor { get; } = minor;
    public override int FileTypeBits => IsBlock ? 0x6000 : 0x2000;
}
