using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using RescueKit.Formats.PartitionTables;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// The isohybrid MBR and GPT of the 32 KiB system area, and the backup GPT at the end (formats.md §9, as
/// xorriso -isohybrid-mbr isohdpfx.bin -isohybrid-gpt-basdat lays them out). Identifiers are derived from the volume
/// timestamp and id, so two builds of the same input are byte-identical.
/// </summary>
internal sealed class HybridSystemArea
{
    public const int MbrCodeLength = 432;
    /// <summary>u64 LE at 432: isolinux.bin's LBA in 512-byte sectors, which the isohdpfx.bin code loads.</summary>
    public const int BootImageSectorOffset = MbrCodeLength;
    /// <summary>248 entries = 62 sectors: the array exactly fills sectors 2..63 of the 32 KiB system area.</summary>
    public const int GptEntryCount = 248;
    public const int GptEntrySectors = GptEntryCount * GptPartitionEntry.Length / MbrLayout.SectorSize;
    /// <summary>The backup array plus the backup header at the very end.</summary>
    public const int BackupGptSectors = GptEntrySectors + 1;
    public const byte IsoPartitionType = 0x17, NestedIsoPartitionType = 0x00, EfiPartitionType = 0xEF;
    /// <summary>CHS geometry xorriso uses for cylinder alignment: 64 heads × 32 sectors = 1 MiB per cylinder.</summary>
    public const int Heads = 64, SectorsPerHead = 32;

    private readonly byte[] mbrCode;
    private readonly uint diskSignature;
    private readonly Guid diskGuid;
    private readonly ulong totalSectors;
    private readonly uint bootImageLba;
    private readonly (ulong Start, ulong Count)? efi;
    private readonly bool withGpt;

    public HybridSystemArea(byte[] mbrCode, IsoOptions options, ulong totalSectors, uint bootImageLba,
        (ulong Start, ulong Count)? efiPartition, bool withGpt)
    {
        this.mbrCode = mbrCode;
        this.totalSectors = totalSectors;
        this.bootImageLba = bootImageLba;
        efi = efiPartition;
        this.withGpt = withGpt;
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes($"RescueKit isohybrid|{options.Timestamp.UtcTicks}|{options.VolumeIdentifier}"));
        diskSignature = BinaryPrimitives.ReadUInt32LittleEndian(seed);
        diskGuid = DeriveGuid(seed.AsSpan(4, 16));
    }

    public static int BackupGptLength => BackupGptSectors * MbrLayout.SectorSize;

    /// <summary>The first 32 KiB of the image: MBR in sector 0, then (with GPT) the primary header and entry array.</summary>
    public byte[] BuildSystemArea()
    {
        var area = new byte[16 * IsoEncoding.BlockSize];
        WriteMbr(area.AsSpan(0, MbrLayout.SectorSize));
        if (withGpt)
        {
            var entries = EntryArray();
            entries.CopyTo(area.AsSpan(2 * MbrLayout.SectorSize));
            PrimaryHeader(Crc32.Compute(entries)).WriteTo(area.AsSpan(MbrLayout.SectorSize));
        }
        return area;
    }

    /// <summary>The last 63 sectors: the backup entry array, then the backup header in the final sector.</summary>
    public byte[] BuildBackupGpt()
    {
        var tail = new byte[BackupGptLength];
        var entries = EntryArray();
        entries.CopyTo(tail);
        PrimaryHeader(Crc32.Compute(entries)).ToBackup(totalSectors - BackupGptSectors)
            .WriteTo(tail.AsSpan(GptEntrySectors * MbrLayout.SectorSize));
        return tail;
    }

    private void WriteMbr(Span<byte> mbr)
    {
        mbrCode.AsSpan(0, MbrCodeLength).CopyTo(mbr);
        BinaryPrimitives.WriteUInt64LittleEndian(mbr[BootImageSectorOffset..], (ulong)bootImageLba * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(mbr[MbrLayout.DiskSignature..], diskSignature);
        var cylinders = (int)(totalSectors / (Heads * SectorsPerHead));
        // P1 covers the whole image from sector 0 so the ISO mounts from partition 1; type 0x00 when the EFI
        // partition is nested inside it, since EDK2 skips type-0 entries in its overlap check (formats.md §9).
        new MbrPartitionEntry(MbrPartitionEntry.Active, ChsAddress.From(0, 0, 1),
                efi is null ? IsoPartitionType : NestedIsoPartitionType,
                ChsAddress.From(cylinders - 1, Heads - 1, SectorsPerHead), 0, (uint)totalSectors)
            .WriteTo(mbr[MbrLayout.PartitionTable..]);
        if (efi is { } e)
            new MbrPartitionEntry(0, ChsAddress.OutOfRange, EfiPartitionType, ChsAddress.OutOfRange, (uint)e.Start, (uint)e.Count)
                .WriteTo(mbr[(MbrLayout.PartitionTable + MbrLayout.EntryLength)..]);
        MbrLayout.BootSignatureBytes.CopyTo(mbr[MbrLayout.BootSignature..]);
    }

    private GptHeader PrimaryHeader(uint entryArrayCrc) => new(
        MyLba: 1, AlternateLba: totalSectors - 1, FirstUsableLba: 1 + 1 + GptEntrySectors,
        LastUsableLba: totalSectors - 1 - BackupGptSectors, DiskGuid: diskGuid, PartitionEntryLba: 2,
        NumberOfPartitionEntries: GptEntryCount, PartitionEntryArrayCrc32: entryArrayCrc);

    /// <summary>"ISOHybrid" Basic Data over the ISO (0..N−65) and "ISOHybrid1" Basic Data over the EFI image.</summary>
    private byte[] EntryArray()
    {
        const ulong attributes = GptPartitionEntry.BasicDataReadOnly | GptPartitionEntry.RequiredPartition;
        var entries = new List<GptPartitionEntry>
        {
            new(GptPartitionTypes.BasicData, PartitionGuid(1), 0, totalSectors - 1 - BackupGptSectors - 1, attributes, "ISOHybrid"),
        };
        if (efi is { } e)
            entries.Add(new(GptPartitionTypes.BasicData, PartitionGuid(2), e.Start, e.Start + e.Count - 1, attributes, "ISOHybrid1"));
        return GptHeader.BuildEntryArray(entries, GptEntryCount);
    }

    /// <summary>Partition GUIDs: the disk GUID with byte 9 bumped by the entry number, as xorriso does.</summary>
    private Guid PartitionGuid(int number)
    {
        Span<byte> b = stackalloc byte[16];
        diskGuid.TryWriteBytes(b);
        b[9] = (byte)(b[9] + number);
        return new Guid(b);
    }

    /// <summary>A GUID from hash bytes with the RFC 9562 version 8 ("custom") and variant bits set.</summary>
    private static Guid DeriveGuid(ReadOnlySpan<byte> hash)
    {
        Span<byte> b = stackalloc byte[16];
        hash.CopyTo(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x80);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b);
    }
}
