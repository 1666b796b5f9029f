namespace RescueKit.Host.Native;

/// <summary>The file type bits of st_mode (S_IFMT, sys/stat.h).</summary>
public enum FileKind : uint
{
    Fifo = 0x1000,
    CharacterDevice = 0x2000,
    Directory = 0x4000,
    BlockDevice = 0x6000,
    Regular = 0x8000,
    Symlink = 0xA000,
    Socket = 0xC000,
}

/// <summary>
/// What statx(2) says about one inode, without following a final symlink. <see cref="Mode"/> holds the permission,
/// set-id and sticky bits (07777) only; the type is <see cref="Kind"/>. Times are nanoseconds since the Unix epoch.
/// </summary>
public readonly record struct FileStatus(
    FileKind Kind,
    uint Mode,
    uint Uid,
    uint Gid,
    long Size,
    long Blocks,
    uint Nlink,
    ulong Device,
    ulong Inode,
    uint RdevMajor,
    uint RdevMinor,
    long MtimeNanoseconds,
    long CtimeNanoseconds,
    ulong MountId = 0)
{
    /// <summary>st_mode's S_IFMT mask.</summary>
    public const uint TypeMask = 0xF000;

    /// <summary>The bits chmod sets: permissions, setuid, setgid, sticky (07777).</summary>
    public const uint PermissionMask = 0xFFF;

    internal static FileStatus From(in LibC.Statx s) => new(
        (FileKind)(s.Mode & TypeMask),
        s.Mode & PermissionMask,
        s.Uid,
        s.Gid,
        (long)s.Size,
        (long)s.Blocks,
        s.Nlink,
        ((ulong)s.DevMajor << 32) | s.DevMinor,
        s.Ino,
        s.RdevMajor,
        s.RdevMinor,
        s.Mtime.Seconds * 1_000_000_000 + s.Mtime.Nanoseconds,
        s.Ctime.Seconds * 1_000_000_000 + s.Ctime.Nanoseconds,
        (s.Mask & LibC.STATX_MNT_ID) != 0 ? s.MntId : 0);

    /// <summary>
    /// True when this directory lies on the same mount as <paramref name="root"/>: by mount id where the kernel gives
    /// one (5.8+), so btrfs subvolumes, which have st_dev of their own, are walked as part of their filesystem; by
    /// st_dev otherwise.
    /// </summary>
    public bool OnSameMountAs(in FileStatus root) =>
        MountId != 0 && root.MountId != 0 ? MountId == root.MountId : Device == root.Device;
}

/// <summary>One extended attribute of any namespace (user., trusted., security., system.), name and value raw.</summary>
public sealed record Xattr(byte[] Name, byte[] Value);
