using System.Security.Cryptography;
using RescueKit.Core.Backup;
using RescueKit.Core.IO;

namespace RescueKit.Backup.Sets;

/// <summary>
/// The end of a set's pipeline: takes the compressed stream, seals it into AES-256-GCM records when the backup is
/// encrypted (<see cref="RecordCipher"/>), splits it into chunk files of at most the chunk size (NAME.000, NAME.001, …),
/// SHA-256s each chunk as it is written and fsyncs it when it is complete. A full chunk is fsynced on a thread-pool
/// thread while the next one is written, so the pipeline does not stop for the disk once per chunk; <see cref="Finish"/>
/// fsyncs the last one and waits for the others, and throws if any of them failed. <see cref="Finish"/> must be called to
/// end the stream; disposing without it leaves only incomplete files in the staging directory.
/// </summary>
internal sealed class ChunkedWriter : SequentialWriteStream
{
    // Data reaches the file in writes of at most this size, each hashed just before it is written, while it is still
    // in the CPU's cache. 1 MiB writes cost this kernel (6.18, ext4) two to three times the copy time of 128 KiB ones
    // in perf samples of whole backups (copy_folio_from_iter_atomic), so the blocks from the compressor are cut.
    private const int FileWriteSize = 128 << 10;

    private readonly string _directory;
    private readonly string _name;
    private readonly bool _numbered;
    private readonly long _chunkSize;
    private readonly RecordCipher? _cipher;
    private readonly int _recordSize;
    private readonly long _plainCapacity;
    private readonly byte[]? _record;
    private readonly byte[]? _sealed;
    private readonly List<BackupFile> _chunks = [];
    private readonly List<Task> _syncing = [];
    private FileStream? _file;
    private string _filePath = "";
    private IncrementalHash? _hash;
    private long _inChunk;
    private byte[] _header = [];
    private int _recordIndex;
    private int _pending;
    private long _plainInChunk;

    /// <param name="directory">The backup (staging) directory.</param>
    /// <param name="name">The file name relative to it (sets/root.tar.zst); numbered chunks get .000, .001 … appended.</param>
    /// <param name="numbered">False for a single-file stream (the catalog), which then has no size limit.</param>
    /// <param name="key">The key when the backup is encrypted.</param>
    /// <param name="recordSize">Plaintext bytes per sealed record.</param>
    public ChunkedWriter(string directory, string name, bool numbered, long chunkSize, BackupKey? key, int recordSize)
    {
        _directory = directory;
        _name = name;
        _numbered = numbered;
        _chunkSize = numbered ? chunkSize : long.MaxValue;
        _recordSize = recordSize;
        if (key is not null)
        {
            _cipher = new RecordCipher(key.Key, name);
            _record = new byte[recordSize];
            _sealed = new byte[recordSize + RecordCipher.TagSize];
            _plainCapacity = PlainCapacity(_chunkSize, recordSize);
        }
        else
        {
            _plainCapacity = _chunkSize;
        }
    }

    /// <summary>The plaintext one encrypted chunk holds so that header, records and tags fit in the chunk size.</summary>
    internal static long PlainCapacity(long chunkSize, int recordSize)
    {
        var room = chunkSize - RecordCipher.HeaderSize;
        var fullRecords = room / (recordSize + RecordCipher.TagSize);
        var rest = room - fullRecords * (recordSize + RecordCipher.TagSize);
        var capacity = fullRecords * recordSize + Math.Max(0, rest - RecordCipher.TagSize);
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "too small for one encrypted record");
        return capacity;
    }

    /// <summary>Bytes stored so far (after encryption), over all chunks.</summary>
    public long BytesStored => _chunks.Sum(c => c.Size) + _inChunk;

    public override void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            if (_cipher is null)
            {
                if (_file is null || _inChunk == _chunkSize)
                {
                    CloseChunk(inBackground: true);
                    OpenChunk();
                }
                var n = (int)Math.Min(data.Length, _chunkSize - _inChunk);
                WriteFile(data[..n]);
                data = data[n..];
                continue;
            }

            if (_file is null) OpenChunk();
            // More data follows the pending record, so it can be sealed now, knowing what comes after it.
            if (_pending == _recordSize || _plainInChunk == _plainCapacity)
            {
                var chunkFull = _plainInChunk == _plainCapacity;
                SealPending(chunkFull ? RecordCipher.Follows.EndOfChunk : RecordCipher.Follows.MoreRecords);
                if (chunkFull)
                {
                    CloseChunk(inBackground: true);
                    OpenChunk();
                }
            }
            var take = (int)Math.Min(Math.Min(data.Length, _recordSize - _pending), _plainCapacity - _plainInChunk);
            data[..take].CopyTo(_record.AsSpan(_pending));
            _pending += take;
            _plainInChunk += take;
            data = data[take..];
        }
    }

    /// <summary>Ends the stream (seals the last record), fsyncs the last chunk and returns every chunk in order.</summary>
    public IReadOnlyList<BackupFile> Finish()
    {
        if (_file is null) OpenChunk();
        if (_cipher is not null) SealPending(RecordCipher.Follows.EndOfStream);
        CloseChunk(inBackground: false);
        WaitForSyncs();
        return _chunks;
    }

    private void SealPending(RecordCipher.Follows follows)
    {
        _cipher!.Seal(_header, _chunks.Count, _recordIndex, follows, _record.AsSpan(0, _pending), _sealed);
        WriteFile(_sealed.AsSpan(0, _pending + RecordCipher.TagSize));
        _recordIndex++;
        _pending = 0;
    }

    private void OpenChunk()
    {
        // A chunk whose fsync has failed fails the backup now rather than at the end.
        if (_syncing.Any(t => t.IsFaulted)) WaitForSyncs();
        var relative = _numbered ? $"{_name}.{_chunks.Count:D3}" : _name;
        _filePath = Path.Combine(_directory, relative);
        try
        {
            _file = new FileStream(_filePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
        catch (IOException e)
        {
            throw TargetFailure.Writing(e, _filePath);
        }
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _inChunk = 0;
        _recordIndex = 0;
        _plainInChunk = 0;
        if (_cipher is not null)
        {
            _header = RecordCipher.NewHeader(_recordSize);
            WriteFile(_header);
        }
    }

    private void WriteFile(ReadOnlySpan<byte> bytes)
    {
        for (var rest = bytes; !rest.IsEmpty;)
        {
            var piece = rest[..Math.Min(rest.Length, FileWriteSize)];
            _hash!.AppendData(piece);
            try
            {
                _file!.Write(piece);
            }
            catch (IOException e)
            {
                throw TargetFailure.Writing(e, _filePath);
            }
            rest = rest[piece.Length..];
        }
        _inChunk += bytes.Length;
    }

    private void CloseChunk(bool inBackground)
    {
        if (_file is null) return;
        var (file, path) = (_file, _filePath);
        _file = null;
        if (inBackground) _syncing.Add(Task.Run(() => Sync(file, path)));
        else Sync(file, path);
        var relative = Path.GetRelativePath(_directory, path);
        _chunks.Add(new BackupFile(relative, _inChunk, Convert.ToHexStringLower(_hash!.GetHashAndReset())));
        _hash.Dispose();
        _hash = null;
        _inChunk = 0;
    }

    private static void Sync(FileStream file, string path)
    {
        try
        {
            using (file) file.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            throw TargetFailure.Writing(e, path);
        }
    }

    // Throws the first failure of the chunks fsynced in the background.
    private void WaitForSyncs()
    {
        try
        {
            Task.WaitAll(_syncing);
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The background fsyncs end (and close their files) before the staging directory can be removed.
            try
            {
                Task.WaitAll(_syncing);
            }
            catch (AggregateException)
            {
                // Disposing after a failure: the error that matters was thrown already.
            }
            _file?.Dispose();
            _hash?.Dispose();
            _cipher?.Dispose();
        }
        base.Dispose(disposing);
    }
}
