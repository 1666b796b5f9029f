using Microsoft.Win32.SafeHandles;

namespace RescueKit.Net.Tftp;

/// <summary>
/// Reads a transfer's blocks into the data parts of its window of DATA packets (<paramref name="stride"/> bytes each,
/// a 4-byte header first). A file (octet mode) is read at its own offset with one preadv(2) per run of blocks
/// (<see cref="RandomAccess"/>); any other stream (netascii) block by block. A file's next window can be read into a
/// second buffer ahead of its ACK, and given back when the ACK says the window must be sent again from inside.
/// </summary>
internal sealed class WindowReader
{
    private readonly Stream _source;
    private readonly SafeFileHandle? _file;
    private readonly (byte[] Packets, Memory<byte>[] Parts)[] _windows;
    private readonly int _blockSize;
    private long _offset;

    /// <param name="windows">The buffers of DATA packets this reader fills, each <paramref name="window"/> packets
    /// long: the window being sent, and the one read ahead of it.</param>
    public WindowReader(Stream source, int stride, int window, params byte[][] windows)
    {
        _source = source;
        _blockSize = stride - TftpPackets.HeaderSize;
        _windows = windows.Select(packets => (packets, Enumerable.Range(0, window)
            .Select(i => packets.AsMemory(i * stride + TftpPackets.HeaderSize, _blockSize)).ToArray())).ToArray();
        if (source is FileStream file)
        {
            _file = file.SafeFileHandle;
            _offset = file.Position;
        }
    }

    /// <summary>Moves back over the last <paramref name="bytes"/> read, so they are read again.</summary>
    public void Unread(long bytes)
    {
        if (_file is null) throw new InvalidOperationException("a stream that is not a file cannot be read again");
        _offset -= bytes;
    }

    /// <summary>Fills the data parts of packets <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/>
    /// − 1 of <paramref name="packets"/> (one of the buffers given) in order; returns the bytes read, fewer than
    /// <paramref name="count"/> blocks only where the source ended.</summary>
    public long Fill(byte[] packets, int from, int count)
    {
        var parts = Array.Find(_windows, w => ReferenceEquals(w.Packets, packets)).Parts
            ?? throw new ArgumentException("not one of this reader's buffers", nameof(packets));
        var wanted = (long)count * _blockSize;
        long total = 0;
        while (total < wanted)
        {
            var k = from + (int)(total / _blockSize);
            var part = parts[k][(int)(total % _blockSize)..];
            long n;
            if (_file is null) n = _source.Read(part.Span);
            // Only a read of 0 proves the file's end: after a short read the rest goes block by block.
            else if (total == 0 && count > 1) n = RandomAccess.Read(_file, new ArraySegment<Memory<byte>>(parts, from, count), _offset);
            else n = RandomAccess.Read(_file, part.Span, _offset);
            if (n == 0) break;
            total += n;
            _offset += n;
        }
        return total;
    }
}
