using RescueKit.Formats.Tar;

namespace RescueKit.Backup.Archive;

/// <summary>
/// One entry of the walked tree as the catalog sees it. <see cref="Path"/> is relative to the root, raw bytes, "." for
/// the root directory itself. For a hard link (<see cref="TarEntryType.HardLink"/>) <see cref="LinkTarget"/> is the
/// path archived first and <see cref="Size"/> the shared file's size; for a symlink, its target.
/// </summary>
internal sealed record ArchivedEntry(
    byte[] Path,
    TarEntryType Type,
    long Size,
    uint Mode,
    uint Uid,
    uint Gid,
    long MtimeNanoseconds,
    long CtimeNanoseconds,
    ulong Inode,
    byte[]? LinkTarget);
