namespace RescueKit.Formats.Cpio;

/// <summary>
/// The 110-byte "newc" header (formats.md §11; Linux Documentation/driver-api/early-userspace/buffer-format.rst):
/// a 6-byte magic then thirteen 8-digit ASCII hex fields. Offsets are derived from the lengths.
/// </summary>
internal static class NewcLayout
{
    public const int MagicLength = 6;
    public const int FieldLength = 8;

    public const int Magic = 0;
    public const int Ino = Magic + MagicLength;
    public const int Mode = Ino + FieldLength;
    public const int Uid = Mode + FieldLength;
    public const int Gid = Uid + FieldLength;
    public const int NLink = Gid + FieldLength;
    public const int MTime = NLink + FieldLength;
    public const int FileSize = MTime + FieldLength;
    public const int DevMajor = FileSize + FieldLength;
    public const int DevMinor = DevMajor + FieldLength;
    public const int RDevMajor = DevMinor + FieldLength;
    public const int RDevMinor = RDevMajor + FieldLength;
    public const int NameSize = RDevMinor + FieldLength;
    public const int Check = NameSize + FieldLength;
    public const int HeaderSize = Check + FieldLength;

    /// <summary>Header, name and data each start on a 4-byte boundary of the (decompressed) stream.</summary>
    public const int Alignment = 4;

    /// <summary>The kernel requires namesize (name + NUL) to be at most PATH_MAX.</summary>
    public const int MaxNameBytes = 4095;

    public const string TrailerName = "TRAILER!!!";

    /// <summary>"070701": newc without checksums; "070702" (crc) is only accepted by newer kernels.</summary>
    public static ReadOnlySpan<byte> MagicBytes => "070701"u8;

    // st_mode type bits (POSIX <sys/stat.h>).
    public const int TypeMask = 0xF000;
    public const int TypeDirectory = 0x4000;
    public const int TypeRegular = 0x8000;
    public const int TypeSymlink = 0xA000;
    public const int TypeCharDevice = 0x2000;
    public const int TypeBlockDevice = 0x6000;
    public const int PermissionMask = 0xFFF;

    public static long PadTo4(long length) => (Alignment - length % Alignment) % Alignment;
}
