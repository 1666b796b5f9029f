using System.Text;
using RescueKit.Host.Native;
using RescueKit.Formats.Tar;

namespace RescueKit.Backup.Archive;

/// <summary>
/// Writes one filesystem as a PAX tar stream (issue 3 "Archive content"): every regular file, directory, symlink,
/// hard link, device and fifo with its owner by number, mode incl. set-id bits, nanosecond mtime and every xattr
/// (user., trusted., security.* with SELinux labels and capabilities, system.posix_acl_*); sparse files as GNU sparse
/// 1.0; names as raw bytes. Sockets are skipped with a warning; a file that vanishes, cannot be read or changes while
/// read is warned about and the backup goes on with a well-formed archive.
/// </summary>
internal static class TreeArchiver
{
    public static ArchiveSummary Write(ArchiveOptions options, Stream tarOutput, IArchiveObserver observer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tarOutput);
        ArgumentNullException.ThrowIfNull(observer);
        var excludes = options.Excludes.Select(pattern => new PathGlob(pattern)).ToList();
        using var readAhead = new ReadAhead(options.Root, excludes);
        var run = new Run(options, observer, readAhead);
        using (var writer = new PaxWriter(tarOutput, leaveOpen: true))
        {
            var index = 0L;
            foreach (var item in TreeWalker.Walk(options.Root, excludes, run.Warn, cancellationToken))
            {
                readAhead.Reached(index++);
                run.Archive(item, writer);
            }
            writer.Finish();
        }
        readAhead.Complete();
        return new ArchiveSummary(run.Entries, run.ContentBytes, run.Warnings);
    }

    // The state of one archive run: the first path of each multiply-linked inode, counters.
    private sealed class Run(ArchiveOptions options, IArchiveObserver observer, ReadAhead readAhead)
    {
        private readonly Dictionary<(ulong Device, ulong Inode), byte[]> firstLinks = [];

        public long Entries { get; private set; }

        public long ContentBytes { get; private set; }

        public int Warnings { get; private set; }

        public void Warn(string path, string message)
        {
            Warnings++;
            observer.OnWarning(path, message);
        }

        public void Archive(WalkItem item, PaxWriter writer)
        {
            var status = item.Status;
            if (status.Kind == FileKind.Socket)
            {
                Warn(item.DisplayPath, "socket skipped: sockets cannot be archived (the program that owns it recreates it)");
                return;
            }
            var linkKey = (status.Device, status.Inode);
            byte[]? linkTarget = null;
            var type = status.Kind switch
            {
                FileKind.Regular => TarEntryType.Regular,
                FileKind.Directory => TarEntryType.Directory,
                FileKind.Symlink => TarEntryType.Symlink,
                FileKind.CharacterDevice => TarEntryType.CharacterDevice,
                FileKind.BlockDevice => TarEntryType.BlockDevice,
                _ => TarEntryType.Fifo,
            };
            if (type != TarEntryType.Directory && status.Nlink > 1 && firstLinks.TryGetValue(linkKey, out var first))
            {
                type = TarEntryType.HardLink;
                linkTarget = first;
            }
            ArchivedEntry entry;
            List<TarXattr> xattrs;
            try
            {
                if (type == TarEntryType.Symlink) linkTarget = item.Directory.ReadLink(item.Name);
                var archived = new ArchivedEntry(item.RelativePath, type, status.Size, status.Mode, status.Uid,
                    status.Gid, status.MtimeNanoseconds, status.CtimeNanoseconds, status.Inode, linkTarget);
                if (options.Select is { } select && !select(archived))
                {
                    observer.OnEntry(archived, false);
                    return;
                }
                // A hard link member only names its first path, which carries the inode's xattrs; a regular file's
                // are read through its fd once it is open (cheaper than a path lookup through /proc).
                xattrs = type is TarEntryType.HardLink or TarEntryType.Regular ? []
                    : ToTar(item, item.Directory.ReadXattrs(item.Name));
                entry = archived;
            }
            catch (NativeIOException e)
            {
                Warn(item.DisplayPath, TreeWalker.Vanished(e));
                return;
            }

            if (type == TarEntryType.Regular)
            {
                if (!ArchiveFile(item, writer)) return;
            }
            else
            {
                writer.WriteEntry(Header(item, type, linkTarget, xattrs, null));
            }
            if (type != TarEntryType.Directory && type != TarEntryType.HardLink && status.Nlink > 1)
                firstLinks[linkKey] = item.RelativePath;
            Entries++;
            observer.OnEntry(entry, true);
        }

        // Opens and writes a regular file; false when it could not be opened or its xattrs read (warned, left out).
        private bool ArchiveFile(WalkItem item, PaxWriter writer)
        {
            var status = item.Status;
            UnixFd? file = null;
            List<TarXattr> xattrs;
            try
            {
                file = item.Directory.OpenFileForReading(item.Name);
                xattrs = ToTar(item, file.ReadXattrs());
            }
            catch (NativeIOException e)
            {
                file?.Dispose();
                Warn(item.DisplayPath, TreeWalker.Vanished(e));
                return false;
            }
            using (file)
            {
                var sparseMap = SparseMap(file, status);
                using var data = new FileContentStream(file, status.Size, sparseMap, readAhead);
                writer.WriteEntry(Header(item, TarEntryType.Regular, null, xattrs, sparseMap), data);
                ContentBytes += data.Length;
                // One fstat after reading tells both whether the name was swapped for another file between lstat and
                // open and whether the file changed while it was read.
                var after = file.Stat();
                if (after.Inode != status.Inode)
                    Warn(item.DisplayPath, "replaced by another file during the backup; the archived content may be the new file's");
                else if (data.Problem is not null)
                    Warn(item.DisplayPath, data.Problem);
                else if (after.Size != status.Size || after.MtimeNanoseconds != status.MtimeNanoseconds)
                    Warn(item.DisplayPath,
                        $"changed while being read (size {status.Size} -> {after.Size}); the archived copy may be inconsistent");
            }
            return true;
        }

        private static TarEntry Header(WalkItem item, TarEntryType type, byte[]? linkTarget, List<TarXattr> xattrs,
            IReadOnlyList<SparseSegment>? sparseMap)
        {
            var status = item.Status;
            return new TarEntry
            {
                Path = item.RelativePath,
                Type = type,
                Mode = status.Mode,
                Uid = status.Uid,
                Gid = status.Gid,
                Size = type == TarEntryType.Regular ? status.Size : 0,
                MtimeNanoseconds = status.MtimeNanoseconds,
                LinkName = linkTarget,
                DeviceMajor = type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice ? status.RdevMajor : 0,
                DeviceMinor = type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice ? status.RdevMinor : 0,
                Xattrs = xattrs,
                SparseMap = sparseMap,
            };
        }

        // Xattr names are ASCII in practice (namespace.name); one that is not valid UTF-8 cannot be a pax keyword
        // value of the contract's TarXattr and is left out with a warning.
        private List<TarXattr> ToTar(WalkItem item, List<Xattr> xattrs)
        {
            var result = new List<TarXattr>(xattrs.Count);
            foreach (var x in xattrs)
            {
                try
                {
                    result.Add(new TarXattr(StrictUtf8.GetString(x.Name), x.Value));
                }
                catch (DecoderFallbackException)
                {
                    Warn(item.DisplayPath, $"xattr '{NativeIOException.Display(x.Name)}' skipped: its name is not UTF-8");
                }
            }
            return result;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The data segments of a sparse file from SEEK_DATA/SEEK_HOLE, or null for a file stored whole. Only a file with
    /// fewer allocated blocks than its size can have holes, so ordinary files skip the lseek calls; a filesystem that
    /// cannot tell reports one segment, which is stored whole too.
    /// </summary>
    internal static IReadOnlyList<SparseSegment>? SparseMap(UnixFd file, FileStatus status)
    {
        if (status.Size == 0 || status.Blocks * 512 >= status.Size) return null;
        var segments = new List<SparseSegment>();
        try
        {
            for (long position = 0; position < status.Size;)
            {
                var data = file.SeekData(position);
                if (data < 0 || data >= status.Size) break;
                var hole = file.SeekHole(data);
                if (hole < 0 || hole > status.Size) hole = status.Size;
                segments.Add(new SparseSegment(data, hole - data));
                position = hole;
            }
        }
        catch (NativeIOException)
        {
            return null;
        }
        return segments is [{ Offset: 0 } only] && only.Length == status.Size ? null : segments;
    }
}
