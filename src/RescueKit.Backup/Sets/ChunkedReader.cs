using System.Security.Cryptography;
using RescueKit.Core.Backup;
using RescueKit.Core.IO;

namespace RescueKit.Backup.Sets;

/// <summary>
/// Reads a set's chunks back as one stream, checking each chunk's size before it is read and its SHA-256 when its
/// last byte is, and opening the AES-256-GCM records of an encrypted backup. Any fault is a
/// <see cref="ChunkFaultException"/> naming the chunk.
/// </summary>
internal sealed class ChunkedReader : SequentialReadStream
{
    private readonly IChunkSource _source;
    private readonly IReadOnlyList<BackupFile> _chunks;
    private readonly RecordCipher? _cipher;
    private int _index = -1;
    private Stream? _file;
    private IncrementalHash? _hash;
    private long _remaining;
    // Encrypted chunks: the header, the current record's plaintext and how much of it was served.
    private readonly byte[] _header = new byte[RecordCipher.HeaderSize];
    private byte[] _sealed = [];
    private byte[] _plain = [];
    private int _plainLength;
    private int _plainServed;
    private int _recordIndex;

    /// <param name="source">Where each chunk is read from, opened just before its first byte is read.</param>
    public ChunkedReader(IChunkSource source, IReadOnlyList<BackupFile> chunks, BackupKey? key, string streamName)
    {
        _source = source;
        _chunks = chunks;
        if (key is not null) _cipher = new RecordCipher(key.Key, streamName);
    }

    /// <summary>The chunk being read (for messages), or null before the first and after the last.</summary>
    public BackupFile? Current => _index >= 0 && _index < _chunks.Count ? _chunks[_index] : null;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        while (true)
        {
            if (_file is null && !NextChunk()) return 0;
            var n = _cipher is null ? ReadPlain(buffer) : ReadSealed(buffer);
            if (n > 0) return n;
            EndChunk();
        }
    }

    private int ReadPlain(Span<byte> buffer)
    {
        if (_remaining == 0) return 0;
        var n = ReadFile(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        if (n == 0) throw new ChunkFaultException(Current!.File, "ended early (truncated while being read)");
        return n;
    }

    private int ReadSealed(Span<byte> buffer)
    {
        if (_plainServed == _plainLength)
        {
            if (_remaining == 0) return 0;
            var take = (int)Math.Min(_sealed.Length, _remaining);
            if (take < RecordCipher.TagSize)
                throw new ChunkFaultException(Current!.File, $"record {_recordIndex} is cut short (truncated)");
            ReadFileExactly(_sealed.AsSpan(0, take));
            var follows = _remaining > 0 ? RecordCipher.Follows.MoreRecords
                : _index == _chunks.Count - 1 ? RecordCipher.Follows.EndOfStream : RecordCipher.Follows.EndOfChunk;
            if (!_cipher!.TryOpen(_header, _index, _recordIndex, follows, _sealed.AsSpan(0, take), _plain))
                throw new ChunkFaultException(Current!.File,
                    $"record {_recordIndex} does not authenticate (the chunk was altered, truncated or put in the wrong place)");
            _recordIndex++;
            _plainLength = take - RecordCipher.TagSize;
            _plainServed = 0;
            if (_plainLength == 0) return ReadSealed(buffer);
        }
        var n = Math.Min(buffer.Length, _plainLength - _plainServed);
        _plain.AsSpan(_plainServed, n).CopyTo(buffer);
        _plainServed += n;
        return n;
    }

    private bool NextChunk()
    {
        if (_index + 1 >= _chunks.Count) { _index = _chunks.Count; return false; }
        _index++;
        var chunk = _chunks[_index];
        _file = _source.Open(chunk);
        if (_file.Length != chunk.Size) throw SizeFault(chunk, _file.Length);
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _remaining = chunk.Size;
        if (_cipher is not null)
        {
            if (_remaining < RecordCipher.HeaderSize) throw new ChunkFaultException(chunk.File, "is too short for its header");
            ReadFileExactly(_header);
            var recordSize = RecordCipher.ReadHeader(_header, chunk.File);
            if (_sealed.Length != recordSize + RecordCipher.TagSize)
            {
                _sealed = new byte[recordSize + RecordCipher.TagSize];
                _plain = new byte[recordSize];
            }
            _recordIndex = 0;
            _plainLength = _plainServed = 0;
        }
        return true;
    }

    private void EndChunk()
    {
        var chunk = _chunks[_index];
        var sha = Convert.ToHexStringLower(_hash!.GetHashAndReset());
        _hash.Dispose();
        _hash = null;
        _file!.Dispose();
        _file = null;
        if (sha != chunk.Sha256) throw new ChunkFaultException(chunk.File, "has the wrong SHA-256 (corrupted)");
    }

    private void ReadFileExactly(Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = ReadFile(buffer);
            if (n == 0) throw new ChunkFaultException(Current!.File, "ended early (truncated while being read)");
            buffer = buffer[n..];
        }
    }

    private int ReadFile(Span<byte> buffer)
    {
        var n = _file!.Read(buffer);
        _hash!.AppendData(buffer[..n]);
        _remaining -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
            _hash?.Dispose();
            _cipher?.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Checks one chunk's size and SHA-256 without decoding it: null when it is sound, else the fault.</summary>
    public static ChunkFaultException? Check(IChunkSource source, BackupFile chunk)
    {
        try
        {
            using var file = source.Open(chunk);
            if (file.Length != chunk.Size) return SizeFault(chunk, file.Length);
            var sha = Convert.ToHexStringLower(SHA256.HashData(file));
            return sha == chunk.Sha256 ? null : new ChunkFaultException(chunk.File, "has the wrong SHA-256 (corrupted)");
        }
        catch (ChunkFaultException fault)
        {
            return fault;
        }
    }

    /// <summary>A fault when the chunk is missing or has the wrong size (without reading it), else null.</summary>
    public static ChunkFaultException? Presence(IChunkSource source, BackupFile chunk) =>
        source.SizeOf(chunk) switch
        {
            null => new ChunkFaultException(chunk.File, "is missing"),
            { } size when size != chunk.Size => SizeFault(chunk, size),
            _ => null,
        };

    private static ChunkFaultException SizeFault(BackupFile chunk, long actual) =>
        new(chunk.File, actual < chunk.Size
            ? $"is truncated: {actual} bytes, the manifest says {chunk.Size}"
            : $"has {actual} bytes, the manifest says {chunk.Size}");
}
