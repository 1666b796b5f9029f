using System.Buffers.Binary;
using System.Text;
using L = RescueKit.Formats.Fat.FatBootSectorLayout;

namespace RescueKit.Formats.Fat;

/// <summary>Serialises the boot sector and the FAT32 FSInfo sector (formats.md §10).</summary>
internal static class FatBootSector
{
    private static ReadOnlySpan<byte> OemName => "MSWIN4.1"u8;

    // Not bootable: the jump lands on "int 18h", which asks the BIOS to try the next boot device.
    private static ReadOnlySpan<byte> NotBootableCode => [0xCD, 0x18];

    public static void Write(Span<byte> sector, FatGeometry g, string label, uint volumeId, uint hiddenSectors)
    {
        sector[..L.SectorSize].Clear();
        int ext = L.ExtendedBase(g.Type);
        // EB xx 90: a short jump over the BPB (Windows checks for EB/E9), then NOP.
        sector[L.JmpBoot] = 0xEB;
        sector[L.JmpBoot + 1] = (byte)(ext + L.ExtendedEnd - 2);
        sector[L.JmpBoot + 2] = 0x90;
        OemName.CopyTo(sector[L.OemName..]);
        BinaryPrimitives.WriteUInt16LittleEndian(sector[L.BytsPerSec..], L.SectorSize);
        sector[L.SecPerClus] = (byte)g.SectorsPerCluster;
        BinaryPrimitives.WriteUInt16LittleEndian(sector[L.RsvdSecCnt..], (ushort)g.ReservedSectors);
        sector[L.NumFATs] = L.NumberOfFats;
        BinaryPrimitives.WriteUInt16LittleEndian(sector[L.RootEntCnt..], (ushort)g.RootEntryCount);
        bool small = g.TotalSectors < 0x10000 && g.Type != FatType.Fat32;
        BinaryPrimitives.WriteUInt16LittleEndian(sector[L.TotSec16..], small ? (ushort)g.TotalSectors : (ushort)0);
        sector[L.Media] = L.MediaFixed;
        // FATSz16 = 0 is what tells Linux and EDK2 the volume is FAT32.
        BinaryPrimitives.WriteUInt16LittleEndian(sector[L.FATSz16..], g.Type == FatType.Fat32 ? (ushort)0 : (ushort)g.FatSectors);
        BinaryPrimitives.WriteUInt16LittleEndian(sector[L.SecPerTrk..], 63);
        BinaryPrimitives.WriteUInt16LittleEndian(sector[L.NumHeads..], 255);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[L.HiddSec..], hiddenSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[L.TotSec32..], small ? 0 : g.TotalSectors);

        if (g.Type == FatType.Fat32)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(sector[L.FATSz32..], g.FatSectors);
            // ExtFlags 0 (mirroring on) and FSVer 0: EDK2 refuses anything else.
            BinaryPrimitives.WriteUInt32LittleEndian(sector[L.RootClus..], 2);
            BinaryPrimitives.WriteUInt16LittleEndian(sector[L.FSInfo..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(sector[L.BkBootSec..], L.Fat32BackupBootSector);
        }

        sector[ext + L.DrvNumRel] = 0x80;
        sector[ext + L.BootSigRel] = 0x29; // VolID, VolLab and FilSysType are present
        BinaryPrimitives.WriteUInt32LittleEndian(sector[(ext + L.VolIDRel)..], volumeId);
        FatNames.LabelBytes(label.Length == 0 ? "NO NAME" : label).CopyTo(sector[(ext + L.VolLabRel)..]);
        // Informational only; drivers decide the type from the cluster count.
        Encoding.ASCII.GetBytes($"FAT{FatGeometry.BitsPerEntry(g.Type)}".PadRight(8)).CopyTo(sector[(ext + L.FilSysTypeRel)..]);
        NotBootableCode.CopyTo(sector[(ext + L.ExtendedEnd)..]);
        sector[L.Signature] = 0x55;
        sector[L.Signature + 1] = 0xAA;
    }

    /// <summary>FSInfo: signatures plus the free-cluster count and the next-free hint.</summary>
    public static void WriteFsInfo(Span<byte> sector, uint freeClusters, uint nextFree)
    {
        sector[..L.SectorSize].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(sector[L.FsiLeadSig..], L.FsiLeadSigValue);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[L.FsiStrucSig..], L.FsiStrucSigValue);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[L.FsiFreeCount..], freeClusters);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[L.FsiNxtFree..], nextFree);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[L.FsiTrailSig..], L.FsiTrailSigValue);
    }
}
