using System.Buffers.Binary;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// ECMA-119 8.4/8.5 volume descriptors (formats.md §2), El Torito's Boot Record (El Torito 1.0 fig. 7) and the
/// set terminator. Offsets are derived from the field lengths in declaration order.
/// </summary>
internal static class VolumeDescriptor
{
    public const int VolumeDescriptorType = 0;
    public const int StandardIdentifier = VolumeDescriptorType + 1;
    public const int VolumeDescriptorVersion = StandardIdentifier + 5;
    public const int VolumeFlags = VolumeDescriptorVersion + 1;
    public const int SystemIdentifier = VolumeFlags + 1;
    public const int VolumeIdentifier = SystemIdentifier + 32;
    public const int VolumeSpaceSize = VolumeIdentifier + 32 + 8;
    public const int EscapeSequences = VolumeSpaceSize + 8;
    public const int VolumeSetSize = EscapeSequences + 32;
    public const int VolumeSequenceNumber = VolumeSetSize + 4;
    public const int LogicalBlockSize = VolumeSequenceNumber + 4;
    public const int PathTableSize = LogicalBlockSize + 4;
    public const int LocationOfTypeLPathTable = PathTableSize + 8;
    public const int LocationOfOptionalTypeLPathTable = LocationOfTypeLPathTable + 4;
    public const int LocationOfTypeMPathTable = LocationOfOptionalTypeLPathTable + 4;
    public const int LocationOfOptionalTypeMPathTable = LocationOfTypeMPathTable + 4;
    public const int RootDirectoryRecord = LocationOfOptionalTypeMPathTable + 4;
    public const int VolumeSetIdentifier = RootDirectoryRecord + 34;
    public const int PublisherIdentifier = VolumeSetIdentifier + 128;
    public const int DataPreparerIdentifier = PublisherIdentifier + 128;
    public const int ApplicationIdentifier = DataPreparerIdentifier + 128;
    public const int CopyrightFileIdentifier = ApplicationIdentifier + 128;
    public const int AbstractFileIdentifier = CopyrightFileIdentifier + 37;
    public const int BibliographicFileIdentifier = AbstractFileIdentifier + 37;
    public const int VolumeCreationDate = BibliographicFileIdentifier + 37;
    public const int VolumeModificationDate = VolumeCreationDate + 17;
    public const int VolumeExpirationDate = VolumeModificationDate + 17;
    public const int VolumeEffectiveDate = VolumeExpirationDate + 17;
    public const int FileStructureVersion = VolumeEffectiveDate + 17;

    /// <summary>Boot Record: "EL TORITO SPECIFICATION" at 7, catalog LBA (LE only) at 71.</summary>
    public const int BootSystemIdentifier = VolumeFlags;
    public const int BootCatalogPointer = BootSystemIdentifier + 32 + 32;

    public const byte TypeBootRecord = 0, TypePrimary = 1, TypeSupplementary = 2, TypeTerminator = 255;
    public static ReadOnlySpan<byte> Cd001 => "CD001"u8;
    public static ReadOnlySpan<byte> ElToritoSpecification => "EL TORITO SPECIFICATION"u8;
    /// <summary>Joliet UCS-2 level 3 escape sequence "%/E".</summary>
    public static ReadOnlySpan<byte> JolietLevel3Escape => "%/E"u8;
    public const string DataPreparer = "RESCUEKIT";

    /// <summary>What differs between the primary (ISO + RR) and the supplementary (Joliet) descriptor.</summary>
    public readonly record struct Tree(uint RootLba, uint RootSize, uint PathTableSize, uint LPathTableLba, uint MPathTableLba);

    public static byte[] Primary(IsoOptions o, IsoDirectory root, Tree t, uint volumeBlocks) =>
        Describe(TypePrimary, o, root, t, volumeBlocks, joliet: false);

    public static byte[] Joliet(IsoOptions o, IsoDirectory root, Tree t, uint volumeBlocks) =>
        Describe(TypeSupplementary, o, root, t, volumeBlocks, joliet: true);

    private static byte[] Describe(byte type, IsoOptions o, IsoDirectory root, Tree t, uint volumeBlocks, bool joliet)
    {
        var d = Header(type);
        var s = d.AsSpan();
        Text(s.Slice(SystemIdentifier, 32), o.SystemIdentifier, joliet);
        if (joliet) IsoEncoding.WriteUcs2Text(s.Slice(VolumeIdentifier, 32), o.VolumeIdentifier);
        else IsoEncoding.WriteDText(s.Slice(VolumeIdentifier, 32), o.VolumeIdentifier);
        IsoEncoding.WriteBothEndian32(s[VolumeSpaceSize..], volumeBlocks);
        if (joliet) JolietLevel3Escape.CopyTo(s[EscapeSequences..]);
        IsoEncoding.WriteBothEndian16(s[VolumeSetSize..], 1);
        IsoEncoding.WriteBothEndian16(s[VolumeSequenceNumber..], 1);
        IsoEncoding.WriteBothEndian16(s[LogicalBlockSize..], IsoEncoding.BlockSize);
        IsoEncoding.WriteBothEndian32(s[PathTableSize..], t.PathTableSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[LocationOfTypeLPathTable..], t.LPathTableLba);
        BinaryPrimitives.WriteUInt32BigEndian(s[LocationOfTypeMPathTable..], t.MPathTableLba);
        // The root record here is the plain 34-byte form: no System Use (RR lives in the root's own "." record).
        DirectoryRecord.Write(s[RootDirectoryRecord..], t.RootLba, t.RootSize, root.Meta.ModificationTime,
            DirectoryRecord.FlagDirectory, [0], null);
        Text(s.Slice(VolumeSetIdentifier, 128), null, joliet);
        Text(s.Slice(PublisherIdentifier, 128), o.Publisher, joliet);
        Text(s.Slice(DataPreparerIdentifier, 128), DataPreparer, joliet);
        Text(s.Slice(ApplicationIdentifier, 128), o.Application, joliet);
        Text(s.Slice(CopyrightFileIdentifier, 37), null, joliet);
        Text(s.Slice(AbstractFileIdentifier, 37), null, joliet);
        Text(s.Slice(BibliographicFileIdentifier, 37), null, joliet);
        IsoEncoding.WriteVolumeDate(s[VolumeCreationDate..], o.Timestamp);
        IsoEncoding.WriteVolumeDate(s[VolumeModificationDate..], o.Timestamp);
        IsoEncoding.WriteVolumeDate(s[VolumeExpirationDate..], null);
        IsoEncoding.WriteVolumeDate(s[VolumeEffectiveDate..], null);
        s[FileStructureVersion] = 1;
        return d;
    }

    public static byte[] BootRecord(uint catalogLba)
    {
        var d = Header(TypeBootRecord);
        // Padded with zeros, not spaces (El Torito 1.0 fig. 7).
        ElToritoSpecification.CopyTo(d.AsSpan(BootSystemIdentifier));
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(BootCatalogPointer), catalogLba);
        return d;
    }

    public static byte[] Terminator() => Header(TypeTerminator);

    private static byte[] Header(byte type)
    {
        var d = new byte[IsoEncoding.BlockSize];
        d[VolumeDescriptorType] = type;
        Cd001.CopyTo(d.AsSpan(StandardIdentifier));
        d[VolumeDescriptorVersion] = 1;
        return d;
    }

    private static void Text(Span<byte> field, string? text, bool joliet)
    {
        if (joliet) IsoEncoding.WriteUcs2Text(field, text);
        else IsoEncoding.WriteAText(field, text);
    }
}
