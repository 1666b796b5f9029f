using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.Iso9660;

/// <summary>ECMA-119 primitive encoders (§7 numbers, 8.4.26.1 / 9.1.5 dates, a-/d-character text), formats.md §0.</summary>
internal static class IsoEncoding
{
    public const int BlockSize = 2048;

    public static long BlocksFor(long bytes) => (bytes + BlockSize - 1) / BlockSize;

    /// <summary>7.2.3: u16 little-endian then big-endian.</summary>
    public static void WriteBothEndian16(Span<byte> destination, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, value);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], value);
    }

    /// <summary>7.3.3: u32 little-endian then big-endian (Linux reads only the LE half, validators compare both).</summary>
    public static void WriteBothEndian32(Span<byte> destination, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, value);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], value);
    }

    /// <summary>9.1.5: years since 1900, month, day, hour, minute, second, GMT offset; always written in UTC with offset 0.</summary>
    public static void WriteDirectoryDate(Span<byte> destination, DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        destination[0] = (byte)(t.Year - 1900);
        destination[1] = (byte)t.Month;
        destination[2] = (byte)t.Day;
        destination[3] = (byte)t.Hour;
        destination[4] = (byte)t.Minute;
        destination[5] = (byte)t.Second;
        destination[6] = 0;
    }

    /// <summary>The range a 7-byte directory date can hold (9.1.5: one byte of years since 1900).</summary>
    public static void ValidateDirectoryDate(DateTimeOffset time, string paramName)
    {
        var year = time.UtcDateTime.Year;
        if (year is < 1900 or > 2155)
            throw new ArgumentException($"{paramName} {time:O} is outside the ISO 9660 date range 1900..2155", paramName);
    }

    /// <summary>8.4.26.1: "YYYYMMDDHHMMSScc" + GMT offset byte; null = not specified (16 '0' digits and 0).</summary>
    public static void WriteVolumeDate(Span<byte> destination, DateTimeOffset? time)
    {
        var text = time is { } v ? v.UtcDateTime.ToString("yyyyMMddHHmmss") + (v.UtcDateTime.Millisecond / 10).ToString("D2") : "0000000000000000";
        Encoding.ASCII.GetBytes(text, destination);
        destination[16] = 0;
    }

    /// <summary>An a-character field (7.4.1), space padded: upper-cased, anything else mapped to '_'.</summary>
    public static void WriteAText(Span<byte> destination, string? text)
    {
        destination.Fill((byte)' ');
        if (text is null) return;
        var upper = text.ToUpperInvariant();
        for (var i = 0; i < upper.Length && i < destination.Length; i++)
            destination[i] = IsAChar(upper[i]) ? (byte)upper[i] : (byte)'_';
    }

    /// <summary>A d-character field (7.4.1), space padded; the caller has validated the text.</summary>
    public static void WriteDText(Span<byte> destination, string text)
    {
        destination.Fill((byte)' ');
        Encoding.ASCII.GetBytes(text, destination);
    }

    /// <summary>A Joliet text field: UCS-2BE, padded with 00 20 (formats.md §2), truncated to whole characters.</summary>
    public static void WriteUcs2Text(Span<byte> destination, string? text)
    {
        for (var i = 0; i + 1 < destination.Length; i += 2) { destination[i] = 0; destination[i + 1] = (byte)' '; }
        if (text is null) return;
        var chars = Math.Min(text.Length, destination.Length / 2);
        Encoding.BigEndianUnicode.GetBytes(text.AsSpan(0, chars), destination);
    }

    public static bool IsDChar(char c) => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';

    public static bool IsAChar(char c) => IsDChar(c) || " !\"%&'()*+,-./:;<=>?".Contains(c);
}
