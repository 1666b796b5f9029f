namespace RescueKit.Formats.Fat;

/// <summary>The 32-byte short (8.3) and long-name directory entries (formats.md §10 "Directory entry", "LFN").</summary>
internal static class FatDirectoryEntryLayout
{
    public const int EntrySize = 32;

    public const int Name = 0;
    public const int NameLength = 11;
    public const int Attr = Name + NameLength;
    public const int NTRes = Attr + 1;
    public const int CrtTimeTenth = NTRes + 1;
    public const int CrtTime = CrtTimeTenth + 1;
    public const int CrtDate = CrtTime + 2;
    public const int LstAccDate = CrtDate + 2;
    public const int FstClusHI = LstAccDate + 2;
    public const int WrtTime = FstClusHI + 2;
    public const int WrtDate = WrtTime + 2;
    public const int FstClusLO = WrtDate + 2;
    public const int FileSize = FstClusLO + 2;

    public const byte AttrVolumeId = 0x08;
    public const byte AttrDirectory = 0x10;
    public const byte AttrArchive = 0x20;
    public const byte AttrLongName = 0x0F;

    /// <summary>NTRes bits Windows NT and Linux use to show an all-lower-case base name or extension.</summary>
    public const byte NTResLowerBase = 0x08;
    public const byte NTResLowerExt = 0x10;

    // Long-name entry: 13 UTF-16 units in three runs.
    public const int LdirOrd = 0;
    public const int LdirName1 = LdirOrd + 1;
    public const int LdirName1Units = 5;
    public const int LdirAttr = LdirName1 + 2 * LdirName1Units;
    public const int LdirType = LdirAttr + 1;
    public const int LdirChksum = LdirType + 1;
    public const int LdirName2 = LdirChksum + 1;
    public const int LdirName2Units = 6;
    public const int LdirFstClusLO = LdirName2 + 2 * LdirName2Units;
    public const int LdirName3 = LdirFstClusLO + 2;
    public const int LdirName3Units = 2;
    public const int UnitsPerLongEntry = LdirName1Units + LdirName2Units + LdirName3Units;
    public const byte LastLongEntry = 0x40;
    public const int MaxLongNameUnits = 255;

    /// <summary>A directory may hold at most 65536 entries (2 MiB), Microsoft FAT spec §6.</summary>
    public const int MaxEntriesPerDirectory = 65536;
}
