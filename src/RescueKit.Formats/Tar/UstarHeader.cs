using System.Diagnostics;

namespace RescueKit.Formats.Tar;

/// <summary>
/// The fields of one ustar header block as they are stored (POSIX.1-2017 pax, "ustar Interchange Format"): names are
/// the raw field bytes, numbers the decoded octal values. <see cref="UstarLayout"/> says where each field goes.
/// </summary>
internal sealed class UstarHeader
{
    public byte[] Name { get; init; } = [];
    public uint Mode { get; init; }
    public long Uid { get; init; }
    public long Gid { get; init; }
    public long Size { get; init; }
    public long Mtime { get; init; }
    public byte Typeflag { get; init; }
    public byte[] Linkname { get; init; } = [];
    public byte[] Uname { get; init; } = [];
    public byte[] Gname { get; init; } = [];
    public long Devmajor { get; init; }
    public long Devminor { get; init; }
    /// <summary>Empty when read from a GNU-format block ("ustar  \0" magic), whose bytes there hold atime/ctime.</summary>
    public byte[] Prefix { get; init; } = [];

    /// <summary>Writes the whole 512-byte block with the POSIX ustar magic and its checksum.</summary>
    public void WriteTo(Span<byte> block)
    {
        Debug.Assert(block.Length == UstarLayout.BlockSize);
        block.Clear();
        WriteBytes(block, UstarLayout.Name, UstarLayout.NameLength, Name);
        WriteOctal(block, UstarLayout.Mode, UstarLayout.ModeLength, Mode);
        WriteOctal(block, UstarLayout.Uid, UstarLayout.UidLength, Uid);
        WriteOctal(block, UstarLayout.Gid, UstarLayout.GidLength, Gid);
        WriteOctal(block, UstarLayout.Size, UstarLayout.SizeLength, Size);
        WriteOctal(block, UstarLayout.Mtime, UstarLayout.MtimeLength, Mtime);
        block[UstarLayout.Typeflag] = Typeflag;
        WriteBytes(block, UstarLayout.Linkname, UstarLayout.LinknameLength, Linkname);
        UstarLayout.UstarMagic.CopyTo(block[UstarLayout.Magic..]);
        UstarLayout.UstarVersion.CopyTo(block[UstarLayout.Version..]);
        WriteBytes(block, UstarLayout.Uname, UstarLayout.UnameLength, Uname);
        WriteBytes(block, UstarLayout.Gname, UstarLayout.GnameLength, Gname);
        WriteOctal(block, UstarLayout.Devmajor, UstarLayout.DevmajorLength, Devmajor);
        WriteOctal(block, UstarLayout.Devminor, UstarLayout.DevminorLength, Devminor);
        WriteBytes(block, UstarLayout.Prefix, UstarLayout.PrefixLength, Prefix);
        WriteChecksum(block);
    }

    /// <summary>
    /// Parses a header block that is not all zeros. <paramref name="offset"/> is the block's position in the archive,
    /// for the messages of the <see cref="InvalidDataException"/> thrown on a bad checksum, magic or number.
    /// </summary>
    public static UstarHeader ReadFrom(ReadOnlySpan<byte> block, long offset)
    {
        Debug.Assert(block.Length == UstarLayout.BlockSize);
        long stored;
        try
        {
            stored = ReadNumber(block, UstarLayout.Chksum, UstarLayout.ChksumLength, "chksum", offset);
        }
        catch (InvalidDataException)
        {
            throw new InvalidDataException($"tar header at offset {offset}: the checksum field is not an octal number; {NotTar(block)}");
        }
        var (unsigned, signed) = Checksums(block);
        if (stored != unsigned && stored != signed)
            throw new InvalidDataException(
                $"tar header at offset {offset}: checksum mismatch (stored {stored}, computed {unsigned}); {NotTar(block)}");

        var magic = block.Slice(UstarLayout.Magic, UstarLayout.MagicLength + UstarLayout.VersionLength);
        bool gnu = magic.SequenceEqual(UstarLayout.GnuMagicAndVersion);
        if (!gnu && !magic[..UstarLayout.MagicLength].SequenceEqual(UstarLayout.UstarMagic))
            throw new InvalidDataException(
                $"tar header at offset {offset}: magic is not \"ustar\" (a pre-POSIX v7 archive, or not a tar archive).");

        return new UstarHeader
        {
            Name = ReadBytes(block, UstarLayout.Name, UstarLayout.NameLength),
            Mode = (uint)ReadNumber(block, UstarLayout.Mode, UstarLayout.ModeLength, "mode", offset),
            Uid = ReadNumber(block, UstarLayout.Uid, UstarLayout.UidLength, "uid", offset),
            Gid = ReadNumber(block, UstarLayout.Gid, UstarLayout.GidLength, "gid", offset),
            Size = ReadNumber(block, UstarLayout.Size, UstarLayout.SizeLength, "size", offset),
            Mtime = ReadNumber(block, UstarLayout.Mtime, UstarLayout.MtimeLength, "mtime", offset),
            Typeflag = block[UstarLayout.Typeflag],
            Linkname = ReadBytes(block, UstarLayout.Linkname, UstarLayout.LinknameLength),
            Uname = ReadBytes(block, UstarLayout.Uname, UstarLayout.UnameLength),
            Gname = ReadBytes(block, UstarLayout.Gname, UstarLayout.GnameLength),
            Devmajor = ReadNumber(block, UstarLayout.Devmajor, UstarLayout.DevmajorLength, "devmajor", offset),
            Devminor = ReadNumber(block, UstarLayout.Devminor, UstarLayout.DevminorLength, "devminor", offset),
            Prefix = gnu ? [] : ReadBytes(block, UstarLayout.Prefix, UstarLayout.PrefixLength),
        };
    }

    /// <summary>What a block that is no tar header probably is: compressed data is the usual mistake.</summary>
    private static string NotTar(ReadOnlySpan<byte> block) => block switch
    {
        [0x1F, 0x8B, ..] => "this is gzip data: decompress it first (zcat).",
        [0x28, 0xB5, 0x2F, 0xFD, ..] => "this is zstd data: decompress it first (zstd -dc).",
        [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0, ..] => "this is xz data: decompress it first (xz -dc).",
        [(byte)'B', (byte)'Z', (byte)'h', ..] => "this is bzip2 data: decompress it first (bzip2 -dc).",
        _ => "the archive is corrupt or not a tar archive.",
    };

    /// <summary>The member name the block spells: prefix "/" name when prefix is set (ustar), else name.</summary>
    public byte[] JoinedName() => Prefix.Length == 0 ? Name : [.. Prefix, (byte)'/', .. Name];

    /// <summary>
    /// Octal digits, zero-padded to fill the field but its last byte, which is NUL (POSIX: "a leading zero-filled
    /// octal number ... terminated by one or more space or NUL characters"). The caller has checked the range.
    /// </summary>
    internal static void WriteOctal(Span<byte> block, int offset, int length, long value)
    {
        Debug.Assert(value >= 0 && value <= UstarLayout.MaxOctal(length));
        var field = block.Slice(offset, length);
        for (int i = length - 2; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
        field[^1] = 0;
    }

    /// <summary>
    /// The checksum is the sum of the block's bytes as unsigned values with the chksum field taken as eight spaces;
    /// it is stored as six octal digits, a NUL and a space (the form every tar since v7 writes).
    /// </summary>
    internal static void WriteChecksum(Span<byte> block)
    {
        var (sum, _) = Checksums(block);
        WriteOctal(block, UstarLayout.Chksum, UstarLayout.ChksumLength - 1, sum);
        block[UstarLayout.Chksum + UstarLayout.ChksumLength - 1] = (byte)' ';
    }

    /// <summary>The unsigned sum POSIX defines and the signed-char sum some historic tars wrote; readers accept both.</summary>
    internal static (long Unsigned, long Signed) Checksums(ReadOnlySpan<byte> block)
    {
        long unsigned = 0, signed = 0;
        for (int i = 0; i < block.Length; i++)
        {
            byte b = i is >= UstarLayout.Chksum and < UstarLayout.Chksum + UstarLayout.ChksumLength ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        return (unsigned, signed);
    }

    /// <summary>
    /// Reads an octal field: optional leading spaces, digits, then space or NUL to the end; an empty field is 0. A first
    /// byte with the high bit set is GNU tar's base-256 form (big-endian two's complement), which GNU tar writes for
    /// values that do not fit in octal (large uids, sizes of 8 GiB and more) in its default format.
    /// </summary>
    internal static long ReadNumber(ReadOnlySpan<byte> block, int offset, int length, string field, long headerOffset)
    {
        var text = block.Slice(offset, length);
        if ((text[0] & 0x80) != 0) return ReadBase256(text, field, headerOffset);

        int i = 0;
        while (i < text.Length && text[i] == ' ') i++;
        long value = 0;
        int digits = 0;
        for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'7'; i++, digits++)
        {
            if (value > (long.MaxValue >> 3))
                throw new InvalidDataException($"tar header at offset {headerOffset}: field {field} overflows.");
            value = (value << 3) | (uint)(text[i] - '0');
        }
        for (; i < text.Length; i++)
        {
            if (text[i] is not (0 or (byte)' '))
                throw new InvalidDataException(
                    $"tar header at offset {headerOffset + offset + i}: field {field} is not an octal number (byte 0x{text[i]:x2}).");
        }
        return value;
    }

    private static long ReadBase256(ReadOnlySpan<byte> text, string field, long headerOffset)
    {
        // 0x80 marks a positive number, 0xff a negative one; the remaining bits are the value.
        bool negative = (text[0] & 0x40) != 0;
        long value = negative ? -1 : 0;
        value = (value << 6) | (uint)(text[0] & 0x3f);
        for (int i = 1; i < text.Length; i++)
        {
            if (!negative && value > (long.MaxValue >> 8))
                throw new InvalidDataException($"tar header at offset {headerOffset}: base-256 field {field} overflows.");
            value = (value << 8) | text[i];
        }
        if (negative) throw new InvalidDataException($"tar header at offset {headerOffset}: field {field} is negative.");
        return value;
    }

    private static void WriteBytes(Span<byte> block, int offset, int length, byte[] value)
    {
        Debug.Assert(value.Length <= length);
        value.CopyTo(block.Slice(offset, length));
    }

    /// <summary>A name field: its bytes up to the first NUL, or all of them when it is full.</summary>
    private static byte[] ReadBytes(ReadOnlySpan<byte> block, int offset, int length)
    {
        var field = block.Slice(offset, length);
        int end = field.IndexOf((byte)0);
        return (end < 0 ? field : field[..end]).ToArray();
    }
}
