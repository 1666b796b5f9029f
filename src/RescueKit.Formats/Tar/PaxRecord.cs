using System.Buffers.Text;
using System.Text;

namespace RescueKit.Formats.Tar;

/// <summary>
/// One pax extended header record (POSIX.1-2017 pax, "pax Extended Header"): <c>"%d %s=%s\n", length, keyword,
/// value</c>, where length is the decimal byte count of the whole record including its own digits, the space, the '='
/// and the newline. The keyword is ASCII; the value is bytes (UTF-8, or anything under hdrcharset=BINARY, and raw
/// for GNU tar's and libarchive's SCHILY.xattr.* values).
/// </summary>
internal readonly record struct PaxRecord(string Keyword, byte[] Value)
{
    public PaxRecord(string keyword, string value) : this(keyword, Encoding.UTF8.GetBytes(value)) { }

    /// <summary>The record's length field: the smallest n with n = digits(n) + the rest, found by counting the digits
    /// of the rest and growing by one digit when the total crosses a power of ten (e.g. a 9-byte rest gives "10 ...").</summary>
    public int Length
    {
        get
        {
            int rest = 1 + Encoding.ASCII.GetByteCount(Keyword) + 1 + Value.Length + 1; // space, '=', newline
            int digits = CountDigits(rest);
            if (CountDigits(rest + digits) > digits) digits++;
            return rest + digits;
        }
    }

    /// <summary>Writes the encoded record at the start of <paramref name="destination"/>; returns its length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        var length = Length;
        Utf8Formatter.TryFormat(length, destination, out int at);
        destination[at++] = (byte)' ';
        at += Encoding.ASCII.GetBytes(Keyword, destination[at..]);
        destination[at++] = (byte)'=';
        Value.CopyTo(destination[at..]);
        destination[length - 1] = (byte)'\n';
        return length;
    }

    /// <summary>Encodes a list of records as the data of an 'x' or 'g' member.</summary>
    public static byte[] Encode(IReadOnlyList<PaxRecord> records)
    {
        int total = 0;
        foreach (var r in records) total += r.Length;
        var data = new byte[total];
        int at = 0;
        foreach (var r in records) at += r.WriteTo(data.AsSpan(at));
        return data;
    }

    /// <summary>
    /// Splits the data of an 'x' or 'g' member into records. <paramref name="dataOffset"/> is where the data starts in
    /// the archive, for the <see cref="InvalidDataException"/> messages. Trailing NUL padding is allowed (some writers
    /// round the data up).
    /// </summary>
    public static List<PaxRecord> Decode(ReadOnlySpan<byte> data, long dataOffset)
    {
        var records = new List<PaxRecord>();
        int pos = 0;
        while (pos < data.Length)
        {
            if (data[pos] == 0 && !data[pos..].ContainsAnyExcept((byte)0)) break;
            long at = dataOffset + pos;
            int space = data[pos..].IndexOf((byte)' ');
            if (space <= 0 || space > 10)
                throw new InvalidDataException($"pax record at offset {at}: no length field.");
            int length = 0;
            foreach (var b in data.Slice(pos, space))
            {
                if (b is < (byte)'0' or > (byte)'9')
                    throw new InvalidDataException($"pax record at offset {at}: length field is not a decimal number.");
                length = length * 10 + (b - '0');
            }
            if (length < space + 3 || length > data.Length - pos)
                throw new InvalidDataException(
                    $"pax record at offset {at}: length {length} runs past the end of the extended header ({data.Length - pos} bytes left).");
            var record = data.Slice(pos + space + 1, length - space - 1);
            if (record[^1] != (byte)'\n')
                throw new InvalidDataException($"pax record at offset {at}: does not end with a newline where its length says.");
            int eq = record.IndexOf((byte)'=');
            if (eq <= 0)
                throw new InvalidDataException($"pax record at offset {at}: no keyword=value.");
            records.Add(new PaxRecord(Encoding.UTF8.GetString(record[..eq]), record[(eq + 1)..^1].ToArray()));
            pos += length;
        }
        return records;
    }

    private static int CountDigits(int n) => n switch
    {
        < 10 => 1,
        < 100 => 2,
        < 1000 => 3,
        < 10000 => 4,
        < 100000 => 5,
        < 1000000 => 6,
        < 10000000 => 7,
        < 100000000 => 8,
        < 1000000000 => 9,
        _ => 10,
    };
}
