namespace RescueKit.Core.Backup;

/// <summary>
/// One line of the catalog (catalog.jsonl, compressed like the sets): an entry of a filesystem at backup time, or a
/// deletion recorded by an incremental backup. Every backup's catalog lists the whole tree, so it alone says what the
/// filesystem held; <see cref="Archived"/> says whether this backup's archive carries the entry's member.
/// </summary>
public sealed record CatalogEntry
{
    /// <summary>The set (filesystem) the entry belongs to.</summary>
    public required string Set { get; init; }

    /// <summary>The path relative to the set's mount point ("." for its root) when it is valid UTF-8, else null.</summary>
    public string? Path { get; init; }

    /// <summary>The raw path bytes, base64, when they are not valid UTF-8 (Linux names need not be).</summary>
    public string? PathBase64 { get; init; }

    /// <summary>True for a path of the base backup that is gone or changed type: restore deletes it first.</summary>
    public bool Deleted { get; init; }

    /// <summary>One of <see cref="CatalogTypes"/>; null for a deletion.</summary>
    public string? Type { get; init; }

    public long Size { get; init; }

    /// <summary>Permission bits (07777).</summary>
    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public long Mtime { get; init; }

    /// <summary>Inode change time, nanoseconds: an incremental backup compares it to find changed entries.</summary>
    public long Ctime { get; init; }

    public ulong Inode { get; init; }

    public bool Archived { get; init; }

    /// <summary>The raw path bytes, from whichever of <see cref="Path"/> and <see cref="PathBase64"/> is set.</summary>
    public byte[] PathBytes() =>
        PathBase64 is not null ? Convert.FromBase64String(PathBase64)
        : Path is not null ? System.Text.Encoding.UTF8.GetBytes(Path)
        : throw new InvalidDataException($"catalog entry of set '{Set}' has neither path nor pathBase64");

    /// <summary>Sets <see cref="Path"/> or <see cref="PathBase64"/> from raw bytes.</summary>
    public static (string? Path, string? PathBase64) EncodePath(byte[] path) =>
        System.Text.Unicode.Utf8.IsValid(path) ? (System.Text.Encoding.UTF8.GetString(path), null) : (null, Convert.ToBase64String(path));
}

/// <summary>The values of <see cref="CatalogEntry.Type"/>.</summary>
public static class CatalogTypes
{
    public const string File = "file";
    public const string HardLink = "hardlink";
    public const string Directory = "dir";
    public const string Symlink = "symlink";
    public const string CharacterDevice = "chardev";
    public const string BlockDevice = "blockdev";
    public const string Fifo = "fifo";
}
