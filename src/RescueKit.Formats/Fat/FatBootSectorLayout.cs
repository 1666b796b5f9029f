namespace RescueKit.Formats.Fat;

/// <summary>
/// Boot sector (BPB) and FSInfo offsets, Microsoft FAT specification §3 and formats.md §10. The FAT12/16 and FAT32
/// extended BPBs hold the same BS_* fields at different offsets, so both start from their own base.
/// </summary>
internal static class FatBootSectorLayout
{
    public const int SectorSize = 512;

    public const int JmpBoot = 0;
    public const int OemName = JmpBoot + 3;
    public const int BytsPerSec = OemName + 8;
    public const int SecPerClus = BytsPerSec + 2;
    public const int RsvdSecCnt = SecPerClus + 1;
    public const int NumFATs = RsvdSecCnt + 2;
    public const int RootEntCnt = NumFATs + 1;
    public const int TotSec16 = RootEntCnt + 2;
    public const int Media = TotSec16 + 2;
    public const int FATSz16 = Media + 1;
    public const int SecPerTrk = FATSz16 + 2;
    public const int NumHeads = SecPerTrk + 2;
    public const int HiddSec = NumHeads + 2;
    public const int TotSec32 = HiddSec + 4;
    public const int CommonBpbEnd = TotSec32 + 4;

    // FAT32 only (§3.3).
    public const int FATSz32 = CommonBpbEnd;
    public const int ExtFlags = FATSz32 + 4;
    public const int FSVer = ExtFlags + 2;
    public const int RootClus = FSVer + 2;
    public const int FSInfo = RootClus + 4;
    public const int BkBootSec = FSInfo + 2;
    public const int Fat32Reserved = BkBootSec + 2;
    public const int Fat32BpbEnd = Fat32Reserved + 12;

    // The extended boot record that follows the BPB (offset 36 on FAT12/16, 64 on FAT32).
    public const int DrvNumRel = 0;
    public const int BootSigRel = DrvNumRel + 2;
    public const int VolIDRel = BootSigRel + 1;
    public const int VolLabRel = VolIDRel + 4;
    public const int FilSysTypeRel = VolLabRel + 11;
    public const int ExtendedEnd = FilSysTypeRel + 8;

    public const int Signature = 510;

    // FSInfo sector (§5).
    public const int FsiLeadSig = 0;
    public const int FsiStrucSig = 484;
    public const int FsiFreeCount = FsiStrucSig + 4;
    public const int FsiNxtFree = FsiFreeCount + 4;
    public const int FsiTrailSig = 508;

    public const uint FsiLeadSigValue = 0x41615252;
    public const uint FsiStrucSigValue = 0x61417272;
    public const uint FsiTrailSigValue = 0xAA550000;

    /// <summary>FAT32 keeps a copy of sectors 0 (and, as mkfs.fat does, 1) at BPB_BkBootSec.</summary>
    public const int Fat32BackupBootSector = 6;
    public const int Fat32ReservedSectors = 32;
    public const int Fat1216ReservedSectors = 1;
    public const int NumberOfFats = 2;
    public const byte MediaFixed = 0xF8;

    public static int ExtendedBase(FatType type) => type == FatType.Fat32 ? Fat32BpbEnd : CommonBpbEnd;
}
