namespace RescueKit.Formats.Cpio;

/// <summary>One member of a newc archive as <see cref="NewcReader"/> sees it.</summary>
/// <param name="Mode">st_mode including the type bits (0040755 directory, 0100644 file, 0120777 symlink...).</param>
/// <param name="Size">c_filesize: data length, or the symlink target length.</param>
/// <param name="LinkTarget">For a symlink, its target; otherwise null.</param>
internal sealed record NewcEntry(string Name, int Mode, int Uid, int Gid, int NLink, long MTime, long Size,
    int RDevMajor, int RDevMinor, string? LinkTarget)
{
    /// <summary>c_ino; names of one hard-link group share it.</summary>
    public long Ino { get; init; }

    public bool IsDirectory => (Mode & NewcLayout.TypeMask) == NewcLayout.TypeDirectory;
    public bool IsRegularFile => (Mode & NewcLayout.TypeMask) == NewcLayout.TypeRegular;
    public bool IsSymlink => (Mode & NewcLayout.TypeMask) == NewcLayout.TypeSymlink;
    public bool IsCharacterDevice => (Mode & NewcLayout.TypeMask) == NewcLayout.TypeCharDevice;
    public bool IsBlockDevice => (Mode & NewcLayout.TypeMask) == NewcLayout.TypeBlockDevice;

    /// <summary>The permission bits (07777) without the type.</summary>
    public int Permissions => Mode & NewcLayout.PermissionMask;
}
