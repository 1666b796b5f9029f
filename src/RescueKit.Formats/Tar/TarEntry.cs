namespace RescueKit.Formats.Tar;

/// <summary>The POSIX ustar typeflag values (POSIX.1-2017, pax "ustar Interchange Format", typeflag field).</summary>
public enum TarEntryType : byte
{
    Regular = (byte)'0',
    HardLink = (byte)'1',
    Symlink = (byte)'2',
    CharacterDevice = (byte)'3',
    BlockDevice = (byte)'4',
    Directory = (byte)'5',
    Fifo = (byte)'6',
}

/// <summary>One data segment of a sparse file: <see cref="Length"/> bytes of real data at <see cref="Offset"/>.</summary>
public readonly record struct SparseSegment(long Offset, long Length);

/// <summary>One extended attribute, its name as the kernel spells it (user.x, security.capability,
/// system.posix_acl_access) and its raw value bytes.</summary>
public sealed record TarXattr(string Name, byte[] Value);

/// <summary>
/// Everything a PAX archive member says about one file. Names and link targets are raw bytes, because Linux file
/// names need not be UTF-8 and the archive must give back the exact bytes (pax "hdrcharset=BINARY").
/// </summary>
public sealed class TarEntry
{
    /// <summary>The member name, relative ("etc/passwd"; a directory without a trailing slash).</summary>
    public required byte[] Path { get; init; }

    public required TarEntryType Type { get; init; }

    /// <summary>Permission bits and set-id/sticky bits (07777); the file type lives in <see cref="Type"/>.</summary>
    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    /// <summary>Optional owner names (ustar uname/gname); restores go by number.</summary>
    public string? UserName { get; init; }

    public string? GroupName { get; init; }

    /// <summary>The file's logical size (for a sparse file, its apparent size with the holes); 0 for non-regular files.</summary>
    public long Size { get; init; }

    /// <summary>Modification time as nanoseconds since the Unix epoch (pax "mtime" keeps them).</summary>
    public long MtimeNanoseconds { get; init; }

    /// <summary>Symlink target, or for a hard link the member name it links to.</summary>
    public byte[]? LinkName { get; init; }

    public uint DeviceMajor { get; init; }

    public uint DeviceMinor { get; init; }

    public IReadOnlyList<TarXattr> Xattrs { get; init; } = [];

    /// <summary>Non-null for a sparse regular file: its data segments in ascending order (GNU sparse format 1.0 in
    /// pax); the member's data is then those segments' bytes only.</summary>
    public IReadOnlyList<SparseSegment>? SparseMap { get; init; }
}
