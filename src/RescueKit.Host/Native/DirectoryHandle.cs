using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace RescueKit.Host.Native;

/// <summary>
/// An open directory, and every call on one of its entries by name relative to it (the *at() family). Names are
/// single raw components; nothing here follows a symlink in the final component, so a walk that descends only
/// through <see cref="OpenDirectory"/> never leaves the tree it started in.
/// </summary>
public sealed unsafe class DirectoryHandle : IDisposable
{
    private const int ReadFlags = LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NONBLOCK | LibC.O_NOCTTY;

    // O_NOATIME keeps a backup from touching every atime, but the kernel allows it only to the owner or root (EPERM
    // otherwise); the first refusal turns it off for the process.
    private static volatile bool noAtimeAllowed = true;

    private int fd;

    private DirectoryHandle(int fd, byte[] path)
    {
        this.fd = fd;
        Path = path;
    }

    /// <summary>The directory's path for messages and for naming children.</summary>
    public byte[] Path { get; }

    /// <summary>Opens a directory by its path as the user gave it (a symlink to a directory is followed here only).</summary>
    public static DirectoryHandle Open(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(bytes, scratch))
        {
            var fd = LibC.OpenAt(LibC.AT_FDCWD, p, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
            if (fd < 0) throw Posix.Error("open", bytes);
            return new DirectoryHandle(fd, bytes);
        }
    }

    /// <summary>Opens the child directory <paramref name="name"/>; a symlink there fails (ELOOP or ENOTDIR).</summary>
    public DirectoryHandle OpenDirectory(ReadOnlySpan<byte> name)
        => new(OpenForReading(name, LibC.O_DIRECTORY), Posix.Join(Path, name));

    /// <summary>Opens the regular file <paramref name="name"/> to read it (never a symlink; O_NONBLOCK so a file swapped
    /// for a fifo since lstat cannot hang the walk).</summary>
    public UnixFd OpenFileForReading(ReadOnlySpan<byte> name) => new(OpenForReading(name, 0), Posix.Join(Path, name));

    /// <summary>Creates the regular file <paramref name="name"/>, which must not exist (O_EXCL), to write it.</summary>
    public UnixFd CreateFile(ReadOnlySpan<byte> name, uint mode)
    {
        const int flags = LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NOCTTY;
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
        {
            var r = LibC.OpenAt(fd, p, flags, mode);
            if (r < 0) throw Posix.Error("openat", Posix.Join(Path, name));
            return new UnixFd(r, Posix.Join(Path, name));
        }
    }

    private int OpenForReading(ReadOnlySpan<byte> name, int extraFlags)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
        {
            if (noAtimeAllowed)
            {
                var r = LibC.OpenAt(fd, p, ReadFlags | extraFlags | LibC.O_NOATIME, 0);
                if (r >= 0) return r;
                if (Posix.LastErrno != Errno.EPERM) throw Posix.Error("openat", Posix.Join(Path, name));
                noAtimeAllowed = false;
            }
            var fallback = LibC.OpenAt(fd, p, ReadFlags | extraFlags, 0);
            if (fallback < 0) throw Posix.Error("openat", Posix.Join(Path, name));
            return fallback;
        }
    }

    /// <summary>The names in this directory except "." and "..", in the order the kernel gives them (getdents64).</summary>
    public List<byte[]> ReadNames()
    {
        // linux_dirent64: d_ino u64, d_off s64, d_reclen u16, d_type u8, d_name NUL-terminated.
        const int nameOffset = 19;
        var names = new List<byte[]>();
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            fixed (byte* b = buffer)
            {
                while (true)
                {
                    var n = LibC.GetDents64(fd, b, (nuint)buffer.Length);
                    if (n < 0) throw Posix.Error("getdents64", Path);
                    if (n == 0) return names;
                    for (var pos = 0; pos < n;)
                    {
                        var record = buffer.AsSpan(pos, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos + 16)));
                        var name = record[nameOffset..];
                        name = name[..name.IndexOf((byte)0)];
                        if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8)) names.Add(name.ToArray());
                        pos += record.Length;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>lstat of <paramref name="name"/> ("." for this directory itself).</summary>
    public FileStatus Stat(ReadOnlySpan<byte> name)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        LibC.Statx s;
        fixed (byte* p = Posix.CString(name, scratch))
        {
            if (LibC.StatxCall(fd, p, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_WANTED, &s) < 0)
                throw Posix.Error("statx", Posix.Join(Path, name));
        }
        return FileStatus.From(s);
    }

    /// <summary>The target of the symlink <paramref name="name"/>, raw.</summary>
    public byte[] ReadLink(ReadOnlySpan<byte> name)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        var target = new byte[4097]; // PATH_MAX plus one, to tell a full buffer from a truncated target
        fixed (byte* p = Posix.CString(name, scratch))
        fixed (byte* t = target)
        {
            var n = LibC.ReadLinkAt(fd, p, t, (nuint)target.Length);
            if (n < 0) throw Posix.Error("readlinkat", Posix.Join(Path, name));
            return target.AsSpan(0, (int)n).ToArray();
        }
    }

    /// <summary>
    /// Every extended attribute of <paramref name="name"/> (never following a symlink), sorted by name. A filesystem
    /// without xattr support has none. The l*xattr calls take a path, so the entry is named through this directory's
    /// /proc/self/fd link: short whatever the depth, and resolved through this fd rather than through the tree.
    /// </summary>
    public List<Xattr> ReadXattrs(ReadOnlySpan<byte> name)
    {
        Span<byte> pathScratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = ProcPath(name, pathScratch)) return XattrReader.Read(-1, p, Path, name);
    }

    /// <summary>Sets one extended attribute of <paramref name="name"/> (creating or replacing it).</summary>
    public void SetXattr(ReadOnlySpan<byte> name, Xattr attribute)
    {
        Span<byte> pathScratch = stackalloc byte[Posix.NameBufferSize];
        Span<byte> nameScratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = ProcPath(name, pathScratch))
        fixed (byte* n = Posix.CString(attribute.Name, nameScratch))
        fixed (byte* v = attribute.Value)
        {
            if (LibC.LSetXattr(p, n, v, (nuint)attribute.Value.Length, 0) < 0)
                throw Posix.Error("lsetxattr", Posix.Join(Path, name));
        }
    }

    /// <summary>Removes one extended attribute of <paramref name="name"/>; false when it had none (or the filesystem
    /// keeps no xattrs).</summary>
    public bool RemoveXattr(ReadOnlySpan<byte> name, ReadOnlySpan<byte> attribute)
    {
        Span<byte> pathScratch = stackalloc byte[Posix.NameBufferSize];
        Span<byte> nameScratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = ProcPath(name, pathScratch))
        fixed (byte* n = Posix.CString(attribute, nameScratch))
        {
            if (LibC.LRemoveXattr(p, n) == 0) return true;
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno is Errno.ENODATA or Errno.EOPNOTSUPP) return false;
            throw Posix.Error("lremovexattr", Posix.Join(Path, name));
        }
    }

    public void CreateDirectory(ReadOnlySpan<byte> name, uint mode)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
            Posix.Check(LibC.MkdirAt(fd, p, mode), "mkdirat", Posix.Join(Path, name));
    }

    public void CreateSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
        fixed (byte* t = Posix.CString(target, []))
            Posix.Check(LibC.SymlinkAt(t, fd, p), "symlinkat", Posix.Join(Path, name));
    }

    /// <summary>Makes <paramref name="name"/> a hard link to <paramref name="existing"/> in
    /// <paramref name="existingDirectory"/>; a symlink there is linked itself, never followed (linkat without
    /// AT_SYMLINK_FOLLOW).</summary>
    public void CreateHardLink(ReadOnlySpan<byte> name, DirectoryHandle existingDirectory, ReadOnlySpan<byte> existing)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        Span<byte> existingScratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
        fixed (byte* e = Posix.CString(existing, existingScratch))
            Posix.Check(LibC.LinkAt(existingDirectory.fd, e, fd, p, 0), "linkat", Posix.Join(Path, name));
    }

    /// <summary>mknodat(2) of a character or block device (dev_t as glibc's makedev encodes it).</summary>
    public void CreateDevice(ReadOnlySpan<byte> name, FileKind kind, uint mode, uint major, uint minor)
    {
        var dev = ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
            | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
            Posix.Check(LibC.MknodAt(fd, p, (uint)kind | mode, dev), "mknodat", Posix.Join(Path, name));
    }

    public void CreateFifo(ReadOnlySpan<byte> name, uint mode)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
            Posix.Check(LibC.MkfifoAt(fd, p, mode), "mkfifoat", Posix.Join(Path, name));
    }

    /// <summary>unlinkat(2); <paramref name="directory"/> removes an empty directory (AT_REMOVEDIR).</summary>
    public void Remove(ReadOnlySpan<byte> name, bool directory)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
            Posix.Check(LibC.UnlinkAt(fd, p, directory ? LibC.AT_REMOVEDIR : 0), "unlinkat", Posix.Join(Path, name));
    }

    /// <summary>lchown by number of <paramref name="name"/> ("." for this directory).</summary>
    public void SetOwner(ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
            Posix.Check(LibC.FChownAt(fd, p, uid, gid, LibC.AT_SYMLINK_NOFOLLOW), "fchownat", Posix.Join(Path, name));
    }

    /// <summary>chmod of <paramref name="name"/>, which must not be a symlink (Linux has no lchmod).</summary>
    public void SetMode(ReadOnlySpan<byte> name, uint mode)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        fixed (byte* p = Posix.CString(name, scratch))
            Posix.Check(LibC.FChmodAt(fd, p, mode, 0), "fchmodat", Posix.Join(Path, name));
    }

    /// <summary>Sets the mtime of <paramref name="name"/> to the nanosecond, a symlink's own included.</summary>
    public void SetModificationTime(ReadOnlySpan<byte> name, long mtimeNanoseconds)
    {
        Span<byte> scratch = stackalloc byte[Posix.NameBufferSize];
        Span<LibC.Timespec> times = stackalloc LibC.Timespec[2];
        Posix.MtimeOnly(times, mtimeNanoseconds);
        fixed (byte* p = Posix.CString(name, scratch))
        fixed (LibC.Timespec* t = times)
        {
            if (LibC.UtimensAt(fd, p, t, LibC.AT_SYMLINK_NOFOLLOW) < 0)
                throw Posix.Error("utimensat", Posix.Join(Path, name));
        }
    }

    // "/proc/self/fd/<fd>/<name>" NUL-terminated.
    private Span<byte> ProcPath(ReadOnlySpan<byte> name, Span<byte> scratch)
    {
        var prefix = "/proc/self/fd/"u8;
        prefix.CopyTo(scratch);
        Utf8Formatter.TryFormat(fd, scratch[prefix.Length..], out var digits);
        var at = prefix.Length + digits;
        scratch[at++] = (byte)'/';
        name.CopyTo(scratch[at..]);
        at += name.Length;
        scratch[at++] = 0;
        return scratch[..at];
    }

    public void Dispose()
    {
        if (fd < 0) return;
        LibC.Close(fd);
        fd = -1;
    }
}
