using Microsoft.Win32.SafeHandles;

namespace RescueKit.Net.Tftp;

/// <summary>
/// Reads a transfer's blocks into the data parts of its window of DATA packets (<paramref name="stride"/> bytes each,
/// a 4-byte header first). A file (octet mode) is read at its own offset with one preadv(2) per run of blocks
/// (<see cref="RandomAccess"/>); any other stream (netascii) block by block.
/// </summary>
internal sealed class WindowReader
{
    private readonly Stream _source;
    private readonly SafeFileHandle? _file;
    private readonly Memory<byte>[] _parts;
    private readonly int _blockSize;
    private long _offset;

    public WindowReader(Stream source, byte[] packets, int stride, int window)
    {
        _source = source;
        _blockSize = stride - TftpPackets.HeaderSize;
        _parts = new Memory<byte>[window];
        for (var i = 0; i < window; i++) _parts[i] = packets.AsMemory(i * stride + TftpPackets.HeaderSize, _blockSize);
        if (source is FileStream file)
        {
            _file = file.SafeFileHandle;
            _offset = file.Position;
        }
    }

    /// <summary>Fills the data parts of packets <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/>
    /// − 1 in order; returns the bytes read, fewer than <paramref name="count"/> blocks only where the source ended.</summary>
    public long Fill(int from, int count)
    {
        var wanted = (long)count * _blockSize;
        long total = 0;
        while (total < wanted)
        {
            var k = from + (int)(total / _blockSize);
            var part = _parts[k][(int)(total % _blockSize)..];
            long n;
            if (_file is null) n = _source.Read(part.Span);
            // Only a read of 0 proves the file's end: after a short read the rest goes block by block.
            else if (total == 0 && count > 1) n = RandomAccess.Read(_file, new ArraySegment<Memory<byte>>(_parts, from, count), _offset);
            else n = RandomAccess.Read(_file, part.Span, _offset);
            if (n == 0) break;
            total += n;
            _offset += n;
        }
        return total;
    }
}
