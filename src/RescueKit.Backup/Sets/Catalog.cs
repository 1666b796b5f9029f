using RescueKit.Backup.Archive;
using RescueKit.Core.Backup;
using RescueKit.Formats.Tar;

namespace RescueKit.Backup.Sets;

/// <summary>Writes the catalog: one JSON line per entry (<see cref="CatalogEntry"/>), compressed like the sets and
/// encrypted with them, into a single file.</summary>
internal sealed class CatalogWriter : IDisposable
{
    private readonly ChunkedWriter _file;
    private readonly Stream _compressed;
    private bool _finished;

    public CatalogWriter(string directory, BackupCompression compression, BackupKey? key, int recordSize)
    {
        _file = new ChunkedWriter(directory, SetFiles.Catalog(compression), numbered: false, 0, key, recordSize);
        _compressed = SetCompression.Compress(compression, _file, leaveOpen: true, threaded: false);
    }

    public void Add(CatalogEntry entry)
    {
        _compressed.Write(BackupJson.SerializeCatalogEntry(entry));
        _compressed.WriteByte((byte)'\n');
    }

    public static CatalogEntry Describe(string set, ArchivedEntry entry, bool archived)
    {
        var (path, pathBase64) = CatalogEntry.EncodePath(entry.Path);
        return new CatalogEntry
        {
            Set = set,
            Path = path,
            PathBase64 = pathBase64,
            Type = TypeName(entry.Type),
            Size = entry.Size,
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            Mtime = entry.MtimeNanoseconds,
            Ctime = entry.CtimeNanoseconds,
            Inode = entry.Inode,
            Archived = archived,
        };
    }

    public static CatalogEntry Deletion(string set, byte[] path)
    {
        var (text, base64) = CatalogEntry.EncodePath(path);
        return new CatalogEntry { Set = set, Path = text, PathBase64 = base64, Deleted = true };
    }

    public static string TypeName(TarEntryType type) => type switch
    {
        TarEntryType.Regular => CatalogTypes.File,
        TarEntryType.HardLink => CatalogTypes.HardLink,
        TarEntryType.Directory => CatalogTypes.Directory,
        TarEntryType.Symlink => CatalogTypes.Symlink,
        TarEntryType.CharacterDevice => CatalogTypes.CharacterDevice,
        TarEntryType.BlockDevice => CatalogTypes.BlockDevice,
        TarEntryType.Fifo => CatalogTypes.Fifo,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no catalog type"),
    };

    /// <summary>Ends the compressed stream and returns the catalog file as the manifest lists it.</summary>
    public BackupFile Finish()
    {
        EndCompression();
        _finished = true;
        return _file.Finish()[0];
    }

    public void Dispose()
    {
        if (!_finished) EndCompression();
        _file.Dispose();
    }

    // Uncompressed, the "compressor" is the file itself, which Finish still needs open.
    private void EndCompression()
    {
        if (ReferenceEquals(_compressed, _file)) _compressed.Flush();
        else _compressed.Dispose();
    }
}

/// <summary>Reads a backup's catalog back, checking the file's size and SHA-256 (and decrypting it) as it goes.</summary>
public static class CatalogReader
{
    public static IEnumerable<CatalogEntry> Read(BackupSet backup, BackupKey? key)
    {
        var manifest = backup.Manifest;
        using var file = new ChunkedReader(backup.Files, [manifest.Catalog], key, manifest.Catalog.File);
        using var text = new StreamReader(SetCompression.Decompress(manifest.Compression.Algorithm, file));
        var lineNumber = 0;
        while (text.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            CatalogEntry entry;
            try
            {
                entry = BackupJson.DeserializeCatalogEntry(System.Text.Encoding.UTF8.GetBytes(line));
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidDataException($"{manifest.Catalog.File} line {lineNumber} is not a catalog entry: {e.Message}", e);
            }
            yield return entry;
        }
    }
}
