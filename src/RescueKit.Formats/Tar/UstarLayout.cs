namespace RescueKit.Formats.Tar;

/// <summary>
/// The 512-byte ustar header block (POSIX.1-2017, pax, "ustar Interchange Format", Table: ustar Header Block).
/// Only lengths are typed; every offset is the previous offset plus that field's length.
/// </summary>
internal static class UstarLayout
{
    /// <summary>Headers and data are written in 512-byte blocks; an archive ends with two zero blocks.</summary>
    public const int BlockSize = 512;

    public const int NameLength = 100;
    public const int ModeLength = 8;
    public const int UidLength = 8;
    public const int GidLength = 8;
    public const int SizeLength = 12;
    public const int MtimeLength = 12;
    public const int ChksumLength = 8;
    public const int TypeflagLength = 1;
    public const int LinknameLength = 100;
    public const int MagicLength = 6;
    public const int VersionLength = 2;
    public const int UnameLength = 32;
    public const int GnameLength = 32;
    public const int DevmajorLength = 8;
    public const int DevminorLength = 8;
    public const int PrefixLength = 155;

    public const int Name = 0;
    public const int Mode = Name + NameLength;
    public const int Uid = Mode + ModeLength;
    public const int Gid = Uid + UidLength;
    public const int Size = Gid + GidLength;
    public const int Mtime = Size + SizeLength;
    public const int Chksum = Mtime + MtimeLength;
    public const int Typeflag = Chksum + ChksumLength;
    public const int Linkname = Typeflag + TypeflagLength;
    public const int Magic = Linkname + LinknameLength;
    public const int Version = Magic + MagicLength;
    public const int Uname = Version + VersionLength;
    public const int Gname = Uname + UnameLength;
    public const int Devmajor = Gname + GnameLength;
    public const int Devminor = Devmajor + DevmajorLength;
    public const int Prefix = Devminor + DevminorLength;
    /// <summary>The 12 bytes after prefix are unused by ustar and stay zero.</summary>
    public const int End = Prefix + PrefixLength;

    /// <summary>magic "ustar" followed by NUL, version "00" (POSIX ustar); GNU tar's own format has "ustar  \0".</summary>
    public static ReadOnlySpan<byte> UstarMagic => "ustar\0"u8;
    public static ReadOnlySpan<byte> UstarVersion => "00"u8;
    public static ReadOnlySpan<byte> GnuMagicAndVersion => "ustar  \0"u8;

    /// <summary>pax typeflag 'x': extended header records for the next member only.</summary>
    public const byte TypeflagPaxExtended = (byte)'x';
    /// <summary>pax typeflag 'g': global extended header records for every following member.</summary>
    public const byte TypeflagPaxGlobal = (byte)'g';
    /// <summary>GNU tar (default format) 'L': the data is the next member's long name, NUL-terminated.</summary>
    public const byte TypeflagGnuLongName = (byte)'L';
    /// <summary>GNU tar (default format) 'K': the data is the next member's long link name.</summary>
    public const byte TypeflagGnuLongLink = (byte)'K';
    /// <summary>Pre-POSIX tar writes a regular file as typeflag NUL; POSIX says to read it as '0'.</summary>
    public const byte TypeflagRegularOld = 0;
    /// <summary>'7' (contiguous file) is read as a regular file, as POSIX allows.</summary>
    public const byte TypeflagContiguous = (byte)'7';

    /// <summary>Largest value of an octal field of <paramref name="length"/> bytes: length - 1 digits and a NUL.</summary>
    public static long MaxOctal(int length) => (1L << (3 * (length - 1))) - 1;

    /// <summary>Bytes of zero padding that bring <paramref name="length"/> to a whole number of blocks.</summary>
    public static int PaddingAfter(long length) => (int)((BlockSize - length % BlockSize) % BlockSize);
}
