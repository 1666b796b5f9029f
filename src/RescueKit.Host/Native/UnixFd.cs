namespace RescueKit.Host.Native;

/// <summary>An open file descriptor of a regular file, with the path its errors name.</summary>
public sealed unsafe class UnixFd : IDisposable
{
    private int fd;

    public UnixFd(int fd, byte[] path)
    {
        this.fd = fd;
        Path = path;
    }

    /// <summary>The path for messages (absolute as far as the caller knows it).</summary>
    public byte[] Path { get; }

    public FileStatus Stat()
    {
        LibC.Statx s;
        byte empty = 0;
        Posix.Check(LibC.StatxCall(fd, &empty, LibC.AT_EMPTY_PATH, LibC.STATX_WANTED, &s), "statx", Path);
        return FileStatus.From(s);
    }

    /// <summary>Every extended attribute of the open file (flistxattr/fgetxattr), sorted by name.</summary>
    public List<Xattr> ReadXattrs() => XattrReader.Read(fd, null, Path, []);

    /// <summary>pread(2) at <paramref name="offset"/>; 0 at the end of the file.</summary>
    public int Read(Span<byte> buffer, long offset)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = LibC.PRead(fd, p, (nuint)buffer.Length, offset);
                if (n >= 0) return (int)n;
                if (Posix.LastErrno != Errno.EINTR) throw Posix.Error("pread", Path);
            }
        }
    }

    /// <summary>pwrite(2) of all of <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        fixed (byte* p = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var n = LibC.PWrite(fd, p + done, (nuint)(data.Length - done), offset + done);
                if (n < 0)
                {
                    if (Posix.LastErrno == Errno.EINTR) continue;
                    throw Posix.Error("pwrite", Path);
                }
                done += (int)n;
            }
        }
    }

    /// <summary>The start of the first data range at or after <paramref name="offset"/> (SEEK_DATA), or -1 when
    /// only a hole follows.</summary>
    public long SeekData(long offset) => Seek(offset, LibC.SEEK_DATA);

    /// <summary>The start of the first hole at or after <paramref name="offset"/> (SEEK_HOLE; the end of the file
    /// counts as a hole), or -1 past the end.</summary>
    public long SeekHole(long offset) => Seek(offset, LibC.SEEK_HOLE);

    private long Seek(long offset, int whence)
    {
        var r = LibC.LSeek(fd, offset, whence);
        if (r >= 0) return r;
        if (Posix.LastErrno == Errno.ENXIO) return -1;
        throw Posix.Error("lseek", Path);
    }

    /// <summary>Asks the kernel to start reading the range into the page cache (POSIX_FADV_WILLNEED) and returns
    /// without waiting for it. Only a hint: a filesystem that cannot do it reads the data when it is read.</summary>
    public void AdviseWillNeed(long offset, long length) => _ = LibC.PosixFadvise(fd, offset, length, LibC.POSIX_FADV_WILLNEED);

    public void Truncate(long length) => Posix.Check(LibC.FTruncate(fd, length), "ftruncate", Path);

    /// <summary>fchown(2) by number; clears set-id bits and security.capability, so it comes before chmod and xattrs.</summary>
    public void SetOwner(uint uid, uint gid) => Posix.Check(LibC.FChown(fd, uid, gid), "fchown", Path);

    public void SetMode(uint mode) => Posix.Check(LibC.FChmod(fd, mode), "fchmod", Path);

    /// <summary>futimens(2): mtime to the nanosecond, atime left alone.</summary>
    public void SetModificationTime(long mtimeNanoseconds)
    {
        Span<LibC.Timespec> times = stackalloc LibC.Timespec[2];
        Posix.MtimeOnly(times, mtimeNanoseconds);
        fixed (LibC.Timespec* t = times) Posix.Check(LibC.FUtimens(fd, t), "futimens", Path);
    }

    public void Dispose()
    {
        if (fd < 0) return;
        LibC.Close(fd);
        fd = -1;
    }
}
