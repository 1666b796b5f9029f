namespace RescueKit.Host.Native;

/// <summary>The errno values the archiver, the extractor and the socket sends act on (asm-generic/errno-base.h, errno.h).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ERANGE = 34;
    public const int ENOSYS = 38;
    public const int ELOOP = 40;
    public const int ENODATA = 61;
    public const int EMSGSIZE = 90;
    public const int ENOPROTOOPT = 92;
    public const int EOPNOTSUPP = 95;
    public const int ENETUNREACH = 101;
    public const int ENOBUFS = 105;
    public const int ECONNREFUSED = 111;
    public const int EHOSTUNREACH = 113;

    // Names for messages: the ones acted on, and the ones a backup or restore commonly meets.
    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM", [ENOENT] = "ENOENT", [EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO",
        [13] = "EACCES", [16] = "EBUSY", [EEXIST] = "EEXIST", [18] = "EXDEV", [ENOTDIR] = "ENOTDIR",
        [21] = "EISDIR", [EINVAL] = "EINVAL", [24] = "EMFILE", [27] = "EFBIG", [28] = "ENOSPC", [30] = "EROFS",
        [ERANGE] = "ERANGE", [36] = "ENAMETOOLONG", [39] = "ENOTEMPTY", [ELOOP] = "ELOOP", [ENODATA] = "ENODATA",
        [EOPNOTSUPP] = "EOPNOTSUPP", [116] = "ESTALE", [122] = "EDQUOT",
    };

    /// <summary>The symbolic name ("ENOENT"), or the number for the ones not listed.</summary>
    public static string Name(int errno) => Names.TryGetValue(errno, out var name) ? name : errno.ToString();
}
