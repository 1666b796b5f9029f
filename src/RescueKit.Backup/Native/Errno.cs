namespace RescueKit.Backup.Native;

/// <summary>The errno values the archiver and extractor act on (asm-generic/errno-base.h, errno.h).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ERANGE = 34;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int ENODATA = 61;
    public const int EOPNOTSUPP = 95;
    public const int ESTALE = 116;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM", [ENOENT] = "ENOENT", [EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO",
        [EACCES] = "EACCES", [EEXIST] = "EEXIST", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
        [ERANGE] = "ERANGE", [ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP", [ENODATA] = "ENODATA",
        [EOPNOTSUPP] = "EOPNOTSUPP", [ESTALE] = "ESTALE",
    };

    /// <summary>The symbolic name ("ENOENT"), or the number for the ones not listed.</summary>
    public static string Name(int errno) => Names.TryGetValue(errno, out var name) ? name : errno.ToString();
}
