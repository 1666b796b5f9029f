using System.Text;

namespace RescueKit.Formats.Tar;

// Reads blocks and member data, tracking the archive offset for error messages.
public sealed partial class PaxReader
{
    /// <summary>Reads the next 512-byte block into _block; false at a clean end of input when <paramref name="allowEnd"/>.</summary>
    private bool ReadBlock(bool allowEnd)
    {
        int done = ReadFully(_block);
        if (done == 0 && allowEnd) return false;
        if (done < _block.Length)
            throw new InvalidDataException($"tar archive ends at offset {_position} inside a 512-byte block (truncated).");
        return true;
    }

    /// <summary>The data of an 'x', 'g', 'L' or 'K' member, with its padding consumed.</summary>
    private byte[] ReadMetadata(long size, long headerOffset)
    {
        if (size > MaxMetadataSize)
            throw new InvalidDataException($"tar header at offset {headerOffset}: extended header of {size} bytes (over {MaxMetadataSize}); corrupt?");
        var data = new byte[size];
        if (ReadFully(data) < data.Length)
            throw new InvalidDataException($"tar archive ends at offset {_position} inside the extended header that starts at {headerOffset}.");
        Skip(UstarLayout.PaddingAfter(size), "extended header padding");
        return data;
    }

    /// <summary>
    /// Reads the GNU sparse 1.0 map at the start of the member data (decimal lines: count, then offset and length per
    /// segment, padded to a block) and leaves _remaining at the packed segments.
    /// </summary>
    private List<SparseSegment> ReadSparseMap10(string where)
    {
        var numbers = new List<long>();
        long count = -1;
        var digits = new StringBuilder();
        while (count < 0 || numbers.Count < 1 + 2 * count)
        {
            if (_remaining < UstarLayout.BlockSize)
                throw new InvalidDataException($"{where}: the GNU sparse map runs past the member data.");
            ReadBlock(allowEnd: false);
            _remaining -= UstarLayout.BlockSize;
            foreach (var b in _block)
            {
                if (count >= 0 && numbers.Count == 1 + 2 * count) break;
                if (b == '\n')
                {
                    if (digits.Length == 0 || !long.TryParse(digits.ToString(), out var n) || n < 0)
                        throw new InvalidDataException($"{where}: the GNU sparse map has a bad number '{digits}'.");
                    numbers.Add(n);
                    digits.Clear();
                    if (numbers.Count == 1) count = n <= int.MaxValue / 2 ? n : throw new InvalidDataException($"{where}: GNU sparse map count {n}.");
                }
                else if (b is >= (byte)'0' and <= (byte)'9' && digits.Length < 19) digits.Append((char)b);
                else throw new InvalidDataException($"{where}: the GNU sparse map has a byte 0x{b:x2} where a digit belongs.");
            }
        }
        var segments = new List<SparseSegment>();
        for (int i = 1; i < numbers.Count; i += 2) segments.Add(new SparseSegment(numbers[i], numbers[i + 1]));
        return segments;
    }

    private void SkipData()
    {
        Skip(_remaining, "member data");
        Skip(_padding, "member padding");
        _remaining = 0;
        _padding = 0;
    }

    private void Skip(long count, string what)
    {
        if (count == 0) return;
        if (_input.CanSeek)
        {
            if (_input.Length - _input.Position < count)
                throw new InvalidDataException($"tar archive ends at offset {_position + _input.Length - _input.Position} inside the {what} (truncated).");
            _input.Seek(count, SeekOrigin.Current);
            _position += count;
            return;
        }
        var scratch = new byte[(int)Math.Min(count, 64 * 1024)];
        while (count > 0)
        {
            int n = ReadFully(scratch.AsSpan(0, (int)Math.Min(count, scratch.Length)));
            if (n == 0) throw new InvalidDataException($"tar archive ends at offset {_position} inside the {what} (truncated).");
            count -= n;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the input ends; returns the bytes read.</summary>
    private int ReadFully(Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = _input.Read(buffer[done..]);
            if (n == 0) break;
            done += n;
        }
        _position += done;
        return done;
    }

    /// <summary>The current member's data; reads past it return 0, and input that ends before it is an error.</summary>
    private sealed class MemberDataStream(PaxReader reader, TarEntry entry) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!ReferenceEquals(reader._current, entry))
                throw new InvalidOperationException("This data stream belongs to an earlier member; ReadNext has moved on.");
            if (reader._remaining == 0 || buffer.Length == 0) return 0;
            var slice = buffer[..(int)Math.Min(buffer.Length, reader._remaining)];
            int n = reader._input.Read(slice);
            if (n == 0)
                throw new InvalidDataException(
                    $"tar archive ends at offset {reader._position} inside the data of '{Encoding.UTF8.GetString(entry.Path)}' ({reader._remaining} bytes missing).");
            reader._position += n;
            reader._remaining -= n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
