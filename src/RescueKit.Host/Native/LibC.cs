using System.Runtime.InteropServices;

namespace RescueKit.Host.Native;

// The libc calls the archiver and extractor make, on raw byte paths (Linux names need not be UTF-8, and the string
// file APIs of .NET would mangle them). Values are x86-64 Linux ABI (glibc 2.36 headers: fcntl-linux.h, stat.h,
// statx-generic.h, errno-base.h). Paths are NUL-terminated byte pointers; see Posix for the checked wrappers.
internal static unsafe partial class LibC
{
    private const string Library = "libc.so.6";

    // fcntl-linux.h open flags.
    internal const int O_RDONLY = 0;
    internal const int O_WRONLY = 1;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_NOCTTY = 0x100;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_NOFOLLOW = 0x20000;
    internal const int O_NOATIME = 0x40000;
    internal const int O_CLOEXEC = 0x80000;

    // *at(): a path relative to the working directory; flags.
    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const int AT_REMOVEDIR = 0x200;
    internal const int AT_EMPTY_PATH = 0x1000;

    // statx(2) mask: everything struct stat has.
    internal const uint STATX_BASIC_STATS = 0x7ff;
    internal const uint STATX_MNT_ID = 0x1000;
    // The mount id tells a mount point from a btrfs subvolume, which has an st_dev of its own on the same mount.
    internal const uint STATX_WANTED = STATX_BASIC_STATS | STATX_MNT_ID;

    // lseek(2) whence values; SEEK_DATA/SEEK_HOLE map the allocated ranges of a sparse file.
    internal const int SEEK_DATA = 3;
    internal const int SEEK_HOLE = 4;

    // posix_fadvise(2) advice (linux/fadvise.h): start reading the range into the page cache now.
    internal const int POSIX_FADV_WILLNEED = 3;

    // utimensat(2): leave this timestamp as it is.
    internal const long UTIME_OMIT = (1L << 30) - 2;

    [StructLayout(LayoutKind.Sequential)]
    internal struct StatxTimestamp
    {
        public long Seconds;
        public uint Nanoseconds;
        private readonly int reserved;
    }

    // linux/stat.h struct statx (256 bytes; the kernel fills only what it knows and never more than the size).
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    internal struct Statx
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Nlink;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
        private readonly ushort spare0;
        public ulong Ino;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTimestamp Atime;
        public StatxTimestamp Btime;
        public StatxTimestamp Ctime;
        public StatxTimestamp Mtime;
        public uint RdevMajor;
        public uint RdevMinor;
        public uint DevMajor;
        public uint DevMinor;
        public ulong MntId;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true)]
    internal static partial int StatxCall(int dirfd, byte* path, int flags, uint mask, Statx* buffer);

    // openat is variadic in C (mode is read only with O_CREAT); on x86-64 the fixed-argument call passes the same
    // registers.
    [LibraryImport(Library, EntryPoint = "openat", SetLastError = true)]
    internal static partial int OpenAt(int dirfd, byte* path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "getdents64", SetLastError = true)]
    internal static partial nint GetDents64(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "pread64", SetLastError = true)]
    internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "pwrite64", SetLastError = true)]
    internal static partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "lseek64", SetLastError = true)]
    internal static partial long LSeek(int fd, long offset, int whence);

    // Returns the error number itself (0 on success) rather than setting errno.
    [LibraryImport(Library, EntryPoint = "posix_fadvise64")]
    internal static partial int PosixFadvise(int fd, long offset, long length, int advice);

    [LibraryImport(Library, EntryPoint = "ftruncate64", SetLastError = true)]
    internal static partial int FTruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "readlinkat", SetLastError = true)]
    internal static partial nint ReadLinkAt(int dirfd, byte* path, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "llistxattr", SetLastError = true)]
    internal static partial nint LListXattr(byte* path, byte* list, nuint size);

    [LibraryImport(Library, EntryPoint = "lgetxattr", SetLastError = true)]
    internal static partial nint LGetXattr(byte* path, byte* name, byte* value, nuint size);

    [LibraryImport(Library, EntryPoint = "flistxattr", SetLastError = true)]
    internal static partial nint FListXattr(int fd, byte* list, nuint size);

    [LibraryImport(Library, EntryPoint = "fgetxattr", SetLastError = true)]
    internal static partial nint FGetXattr(int fd, byte* name, byte* value, nuint size);

    [LibraryImport(Library, EntryPoint = "lsetxattr", SetLastError = true)]
    internal static partial int LSetXattr(byte* path, byte* name, byte* value, nuint size, int flags);

    [LibraryImport(Library, EntryPoint = "lremovexattr", SetLastError = true)]
    internal static partial int LRemoveXattr(byte* path, byte* name);

    [LibraryImport(Library, EntryPoint = "mkdirat", SetLastError = true)]
    internal static partial int MkdirAt(int dirfd, byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "symlinkat", SetLastError = true)]
    internal static partial int SymlinkAt(byte* target, int newdirfd, byte* linkpath);

    [LibraryImport(Library, EntryPoint = "linkat", SetLastError = true)]
    internal static partial int LinkAt(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);

    [LibraryImport(Library, EntryPoint = "mknodat", SetLastError = true)]
    internal static partial int MknodAt(int dirfd, byte* path, uint mode, ulong dev);

    [LibraryImport(Library, EntryPoint = "mkfifoat", SetLastError = true)]
    internal static partial int MkfifoAt(int dirfd, byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "unlinkat", SetLastError = true)]
    internal static partial int UnlinkAt(int dirfd, byte* path, int flags);

    [LibraryImport(Library, EntryPoint = "fchownat", SetLastError = true)]
    internal static partial int FChownAt(int dirfd, byte* path, uint uid, uint gid, int flags);

    [LibraryImport(Library, EntryPoint = "fchown", SetLastError = true)]
    internal static partial int FChown(int fd, uint uid, uint gid);

    [LibraryImport(Library, EntryPoint = "fchmodat", SetLastError = true)]
    internal static partial int FChmodAt(int dirfd, byte* path, uint mode, int flags);

    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int FChmod(int fd, uint mode);

    [LibraryImport(Library, EntryPoint = "utimensat", SetLastError = true)]
    internal static partial int UtimensAt(int dirfd, byte* path, Timespec* times, int flags);

    [LibraryImport(Library, EntryPoint = "futimens", SetLastError = true)]
    internal static partial int FUtimens(int fd, Timespec* times);
}
