using System.Buffers.Binary;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// The El Torito boot catalog (El Torito 1.0 fig. 2-5, formats.md §7): validation entry, initial/default entry and,
/// when both BIOS and UEFI images exist, one final section header (0x91, platform 0xEF) with one section entry.
/// </summary>
internal static class BootCatalog
{
    public const int EntryLength = 32;

    public const byte PlatformX86 = 0x00, PlatformEfi = 0xEF;
    public const byte HeaderId = 0x01, Bootable = 0x88, NoEmulation = 0x00;
    public const byte SectionHeaderMore = 0x90, SectionHeaderFinal = 0x91;

    // Validation entry fields.
    public const int ValidationHeaderId = 0;
    public const int ValidationPlatformId = ValidationHeaderId + 1;
    public const int ValidationIdString = ValidationPlatformId + 1 + 2;
    public const int ValidationChecksum = ValidationIdString + 24;
    public const int ValidationKey = ValidationChecksum + 2;
    public static ReadOnlySpan<byte> KeyBytes => [0x55, 0xAA];

    // Initial/default and section entry fields.
    public const int BootIndicator = 0;
    public const int BootMediaType = BootIndicator + 1;
    public const int LoadSegment = BootMediaType + 1;
    public const int SystemType = LoadSegment + 2;
    public const int SectorCount = SystemType + 1 + 1;
    public const int LoadRba = SectorCount + 2;

    // Section header fields.
    public const int SectionHeaderIndicator = 0;
    public const int SectionPlatformId = SectionHeaderIndicator + 1;
    public const int SectionEntryCount = SectionPlatformId + 1;

    /// <summary>ISOLINUX loads 4 virtual sectors (one CD block); isohybrid refuses any other count (formats.md §7).</summary>
    public const ushort BiosSectorCount = 4;

    /// <summary>A boot image as the catalog sees it: its LBA and its size in bytes.</summary>
    public readonly record struct Image(uint Lba, long Size);

    /// <summary>UEFI entry count: 512-byte sectors, or 0 ("to the end of the medium") when it does not fit u16.</summary>
    public static ushort EfiSectorCount(long size)
    {
        var sectors = (size + 511) / 512;
        return sectors > ushort.MaxValue ? (ushort)0 : (ushort)sectors;
    }

    public static byte[] Build(Image? bios, Image? efi)
    {
        var catalog = new byte[IsoEncoding.BlockSize];
        var s = catalog.AsSpan();
        WriteValidation(s, bios is null ? PlatformEfi : PlatformX86);
        if (bios is { } b)
        {
            WriteEntry(s[EntryLength..], b.Lba, BiosSectorCount);
            if (efi is { } e)
            {
                var header = s[(2 * EntryLength)..];
                header[SectionHeaderIndicator] = SectionHeaderFinal;
                header[SectionPlatformId] = PlatformEfi;
                BinaryPrimitives.WriteUInt16LittleEndian(header[SectionEntryCount..], 1);
                WriteEntry(s[(3 * EntryLength)..], e.Lba, EfiSectorCount(e.Size));
            }
        }
        else if (efi is { } e)
        {
            WriteEntry(s[EntryLength..], e.Lba, EfiSectorCount(e.Size));
        }
        return catalog;
    }

    /// <summary>The checksum makes the sum of the entry's 16 little-endian u16 words zero (El Torito 1.0 fig. 2).</summary>
    private static void WriteValidation(Span<byte> entry, byte platform)
    {
        entry[ValidationHeaderId] = HeaderId;
        entry[ValidationPlatformId] = platform;
        KeyBytes.CopyTo(entry[ValidationKey..]);
        ushort sum = 0;
        for (var i = 0; i < EntryLength; i += 2) sum += BinaryPrimitives.ReadUInt16LittleEndian(entry[i..]);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[ValidationChecksum..], (ushort)-sum);
    }

    /// <summary>Bootable, no emulation, load segment 0 (= 0x7C0), system type 0.</summary>
    private static void WriteEntry(Span<byte> entry, uint lba, ushort sectorCount)
    {
        entry[BootIndicator] = Bootable;
        entry[BootMediaType] = NoEmulation;
        BinaryPrimitives.WriteUInt16LittleEndian(entry[SectorCount..], sectorCount);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[LoadRba..], lba);
    }
}
