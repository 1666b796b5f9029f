using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RescueKit.Formats.Iso9660;

// AddTree: an lstat walk of a host directory, keeping modes, owners, mtimes, symlink targets and device numbers.
public sealed partial class IsoBuilder
{
    /// <summary>
    /// Adds everything below <paramref name="hostDirectory"/> under <paramref name="isoPrefix"/> without following
    /// symlinks: directories, regular files (streamed at write time), symlinks and character/block devices, with
    /// their permissions, uid, gid and mtime. Sockets and FIFOs are skipped; hard links become separate files.
    /// The prefix directory itself takes the metadata of <paramref name="hostDirectory"/>.
    /// </summary>
    public void AddTree(string hostDirectory, string isoPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(hostDirectory);
        var top = Path.GetFullPath(hostDirectory);
        var topStat = HostStat.Lstat(top);
        if (!topStat.IsDirectory) throw new ArgumentException($"'{hostDirectory}' is not a directory", nameof(hostDirectory));
        AddDirectory(isoPrefix, topStat.Meta);
        Walk(top, isoPrefix.Trim('/'));
    }

    private void Walk(string hostDir, string isoDir)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(hostDir).Order(StringComparer.Ordinal))
        {
            var iso = isoDir.Length == 0 ? Path.GetFileName(entry) : isoDir + "/" + Path.GetFileName(entry);
            var st = HostStat.Lstat(entry);
            switch (st.Type)
            {
                case HostStat.TypeDirectory:
                    AddDirectory(iso, st.Meta);
                    Walk(entry, iso);
                    break;
                case HostStat.TypeRegular:
                    AddFile(iso, entry, st.Meta);
                    break;
                case HostStat.TypeSymlink:
                    AddSymlink(iso, new FileInfo(entry).LinkTarget!, st.Meta);
                    break;
                case HostStat.TypeCharacter or HostStat.TypeBlock:
                    AddDevice(iso, st.Type == HostStat.TypeBlock, (int)st.RdevMajor, (int)st.RdevMinor, st.Meta);
                    break;
            }
        }
    }

    /// <summary>statx(2) with AT_SYMLINK_NOFOLLOW: .NET exposes neither uid/gid nor device numbers, and struct statx
    /// (unlike struct stat) has the same layout on every Linux architecture (include/uapi/linux/stat.h).</summary>
    private readonly record struct HostStat(int Type, UnixMetadata Meta, uint RdevMajor, uint RdevMinor)
    {
        public const int TypeMask = 0xF000, TypeDirectory = 0x4000, TypeRegular = 0x8000, TypeSymlink = 0xA000,
            TypeCharacter = 0x2000, TypeBlock = 0x6000;

        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const uint StatxBasicStats = 0x7FF;
        private const int StatxSize = 256;
        private const int StxUid = 20, StxGid = 24, StxMode = 28, StxMtime = 112, StxRdevMajor = 128, StxRdevMinor = 132;

        public bool IsDirectory => Type == TypeDirectory;

        public static HostStat Lstat(string path)
        {
            var buffer = new byte[StatxSize];
            if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
                throw new IOException($"cannot stat '{path}': errno {Marshal.GetLastPInvokeError()}");
            var s = buffer.AsSpan();
            var mode = BinaryPrimitives.ReadUInt16LittleEndian(s[StxMode..]);
            var seconds = BinaryPrimitives.ReadInt64LittleEndian(s[StxMtime..]);
            var meta = new UnixMetadata(mode & 0xFFF, (int)BinaryPrimitives.ReadUInt32LittleEndian(s[StxUid..]),
                (int)BinaryPrimitives.ReadUInt32LittleEndian(s[StxGid..]), DateTimeOffset.FromUnixTimeSeconds(seconds));
            return new HostStat(mode & TypeMask, meta,
                BinaryPrimitives.ReadUInt32LittleEndian(s[StxRdevMajor..]), BinaryPrimitives.ReadUInt32LittleEndian(s[StxRdevMinor..]));
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string pathname, int flags, uint mask, byte[] statxbuf);
    }
}
