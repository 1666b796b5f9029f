using System.Runtime.InteropServices;
using System.Security.Cryptography;
using RescueKit.Backup.Archive;
using RescueKit.Core.Backup;
using RescueKit.Formats.Tar;

namespace RescueKit.Backup.Sets;

/// <summary>
/// One set of the base backup of an incremental one, from the base's catalog (which lists the whole tree at that
/// time). It decides which entries to archive — new ones, and those whose type, size, mtime, ctime or inode differ;
/// directories always, so a restore recreates their metadata — and afterwards names the deletions: paths of the base
/// that are gone now, or changed type (restore deletes them before extracting).
/// Memory: a 16-byte hash of each path plus its stat fields, not the paths themselves.
/// </summary>
internal sealed class IncrementalBase
{
    private readonly BackupSet _base;
    private readonly BackupKey? _key;
    private readonly string _set;
    private readonly Dictionary<UInt128, Known> _entries = [];
    private readonly List<byte[]> _replaced = [];

    private struct Known
    {
        public string Type;
        public long Size;
        public long Mtime;
        public long Ctime;
        public ulong Inode;
        public bool Seen;
    }

    public IncrementalBase(BackupSet baseBackup, BackupKey? key, string set)
    {
        _base = baseBackup;
        _key = key;
        _set = set;
        foreach (var e in CatalogReader.Read(baseBackup, key))
        {
            if (e.Set != set || e.Deleted) continue;
            _entries[KeyOf(e.PathBytes())] = new Known
            {
                Type = Comparable(e.Type!), Size = e.Size, Mtime = e.Mtime, Ctime = e.Ctime, Inode = e.Inode,
            };
        }
    }

    /// <summary>ArchiveOptions.Select: true when the entry goes into the incremental archive.</summary>
    public bool Select(ArchivedEntry entry)
    {
        ref var known = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, KeyOf(entry.Path));
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref known)) return true;
        known.Seen = true;
        var type = Comparable(CatalogWriter.TypeName(entry.Type));
        if (type != known.Type)
        {
            _replaced.Add(entry.Path);
            return true;
        }
        if (entry.Type == TarEntryType.Directory) return true;
        return entry.Size != known.Size || entry.MtimeNanoseconds != known.Mtime || entry.CtimeNanoseconds != known.Ctime ||
               entry.Inode != known.Inode;
    }

    /// <summary>After the walk: the paths a restore must delete before extracting this set's archive.</summary>
    public IEnumerable<byte[]> Deletions()
    {
        foreach (var path in _replaced) yield return path;
        foreach (var e in CatalogReader.Read(_base, _key))
        {
            if (e.Set != _set || e.Deleted) continue;
            var path = e.PathBytes();
            if (!_entries[KeyOf(path)].Seen) yield return path;
        }
    }

    // A second name of a file is archived as a hard link or as the file, depending on which name the walk meets first.
    private static string Comparable(string type) => type == CatalogTypes.HardLink ? CatalogTypes.File : type;

    private static UInt128 KeyOf(byte[] path)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(path, hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }
}
