namespace RescueKit.Formats.Iso9660;

/// <summary>ECMA-119 9.1 directory record layout (formats.md §4); offsets derived from the field lengths.</summary>
internal static class DirectoryRecord
{
    public const int LengthOfDirectoryRecord = 0;
    public const int ExtendedAttributeRecordLength = LengthOfDirectoryRecord + 1;
    public const int LocationOfExtent = ExtendedAttributeRecordLength + 1;
    public const int DataLength = LocationOfExtent + 8;
    public const int RecordingDateAndTime = DataLength + 8;
    public const int FileFlags = RecordingDateAndTime + 7;
    public const int FileUnitSize = FileFlags + 1;
    public const int InterleaveGapSize = FileUnitSize + 1;
    public const int VolumeSequenceNumber = InterleaveGapSize + 1;
    public const int LengthOfFileIdentifier = VolumeSequenceNumber + 4;
    public const int FileIdentifier = LengthOfFileIdentifier + 1;

    public const int MaxLength = 255;
    public const byte FlagDirectory = 0x02;
    /// <summary>Bit 7: this is not the final record of a multi-extent file (9.1.6).</summary>
    public const byte FlagMultiExtent = 0x80;

    /// <summary>Offset of the System Use area: after the identifier, plus a pad byte when its length is even (9.1.12).</summary>
    public static int SystemUseOffset(int identifierLength) => FileIdentifier + identifierLength + (identifierLength % 2 == 0 ? 1 : 0);

    /// <summary>The record length: LEN_DR must be even, so an odd System Use area gets one trailing zero.</summary>
    public static int RecordLength(int identifierLength, int systemUseLength)
    {
        var n = SystemUseOffset(identifierLength) + systemUseLength;
        return n + (n % 2);
    }

    /// <summary>System Use bytes available in a record with this identifier (LEN_DR ≤ 255 and even, so ≤ 254).</summary>
    public static int SystemUseCapacity(int identifierLength) => MaxLength - 1 - SystemUseOffset(identifierLength);

    /// <summary>Writes one record into <paramref name="destination"/> and returns its length.</summary>
    public static int Write(Span<byte> destination, uint lba, uint dataLength, DateTimeOffset date, byte flags,
        ReadOnlySpan<byte> identifier, SystemUseArea? systemUse)
    {
        var length = RecordLength(identifier.Length, systemUse?.RecordLength ?? 0);
        var r = destination[..length];
        r.Clear();
        r[LengthOfDirectoryRecord] = (byte)length;
        IsoEncoding.WriteBothEndian32(r[LocationOfExtent..], lba);
        IsoEncoding.WriteBothEndian32(r[DataLength..], dataLength);
        IsoEncoding.WriteDirectoryDate(r[RecordingDateAndTime..], date);
        r[FileFlags] = flags;
        IsoEncoding.WriteBothEndian16(r[VolumeSequenceNumber..], 1);
        r[LengthOfFileIdentifier] = (byte)identifier.Length;
        identifier.CopyTo(r[FileIdentifier..]);
        systemUse?.WriteTo(r[SystemUseOffset(identifier.Length)..]);
        return length;
    }
}
