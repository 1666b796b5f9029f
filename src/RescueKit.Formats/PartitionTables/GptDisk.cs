namespace RescueKit.Formats.PartitionTables;

/// <summary>
/// A whole-disk GPT (UEFI 2.x 5.3) with its protective MBR (5.2.3): 128 entries of 128 bytes, so the primary table is
/// LBA 0..33 and the backup the last 33 sectors, as sgdisk and parted make it. <see cref="Read"/> takes the primary
/// table and falls back to the backup when the primary fails its CRCs, as firmware does (5.3.2).
/// </summary>
public sealed class GptDisk
{
    public const int SectorSize = MbrLayout.SectorSize;
    public const int EntryCount = 128;
    /// <summary>Sectors of the entry array: 128 × 128 bytes.</summary>
    public const int EntrySectors = EntryCount * GptPartitionEntry.Length / SectorSize;
    /// <summary>Bytes of each table copy: the header sector and the entry array.</summary>
    public const int TableBytes = (1 + EntrySectors) * SectorSize;
    /// <summary>The protective MBR's only partition type (UEFI 2.x table 5-4).</summary>
    public const byte ProtectiveMbrType = 0xEE;

    public GptDisk(Guid diskGuid, ulong sectorCount, IReadOnlyList<GptPartitionEntry> partitions)
    {
        if (sectorCount < 2 * (1 + EntrySectors) + 2)
            throw new ArgumentOutOfRangeException(nameof(sectorCount), sectorCount, "A GPT disk needs at least 70 sectors.");
        DiskGuid = diskGuid;
        SectorCount = sectorCount;
        Partitions = partitions;
        foreach (var p in partitions)
            if (p.StartingLba < FirstUsableLba || p.EndingLba > LastUsableLba || p.EndingLba < p.StartingLba)
                throw new ArgumentException($"GPT partition '{p.PartitionName}' ({p.StartingLba}..{p.EndingLba}) lies outside " +
                    $"the usable sectors {FirstUsableLba}..{LastUsableLba}.", nameof(partitions));
    }

    public Guid DiskGuid { get; }
    public ulong SectorCount { get; }
    public IReadOnlyList<GptPartitionEntry> Partitions { get; }
    public ulong FirstUsableLba => 2 + EntrySectors;
    public ulong LastUsableLba => SectorCount - 2 - EntrySectors;

    /// <summary>Byte offset of the backup table (its entry array, then the backup header in the last sector).</summary>
    public long BackupOffset => (long)(SectorCount - 1 - EntrySectors) * SectorSize;

    /// <summary>
    /// Sector 0: <paramref name="bootCode"/> (at most 440 bytes, e.g. syslinux's gptmbr.bin) and one partition of type
    /// 0xEE from LBA 1 over the disk, capped at 2^32 − 1 sectors (UEFI 2.x 5.2.3). Not marked active: the spec wants
    /// BootIndicator 0, and gptmbr.bin boots the GPT partition marked <see cref="GptPartitionEntry.LegacyBiosBootable"/>.
    /// </summary>
    public byte[] ProtectiveMbr(ReadOnlySpan<byte> bootCode)
    {
        if (bootCode.Length > MbrLayout.BootCodeLength)
            throw new ArgumentException($"MBR boot code is {bootCode.Length} bytes; at most {MbrLayout.BootCodeLength} fit.", nameof(bootCode));
        var mbr = new byte[SectorSize];
        bootCode.CopyTo(mbr);
        // The disk signature: from the disk GUID, so the same inputs give the same bytes.
        DiskGuid.ToByteArray().AsSpan(0, MbrLayout.DiskSignatureLength).CopyTo(mbr.AsSpan(MbrLayout.DiskSignature));
        var sectors = (uint)Math.Min(SectorCount - 1, uint.MaxValue);
        new MbrPartitionEntry(0, ChsAddress.From(0, 0, 2), ProtectiveMbrType, ChsAddress.OutOfRange, 1, sectors)
            .WriteTo(mbr.AsSpan(MbrLayout.PartitionTable));
        MbrLayout.BootSignatureBytes.CopyTo(mbr.AsSpan(MbrLayout.BootSignature));
        return mbr;
    }

    /// <summary>LBA 1..33: the primary header, then the entry array.</summary>
    public byte[] PrimaryTable()
    {
        var table = new byte[TableBytes];
        var entries = GptHeader.BuildEntryArray(Partitions, EntryCount);
        entries.CopyTo(table.AsSpan(SectorSize));
        Header(Crc32.Compute(entries)).WriteTo(table);
        return table;
    }

    /// <summary>The last 33 sectors: the entry array, then the backup header in the disk's last sector.</summary>
    public byte[] BackupTable()
    {
        var table = new byte[TableBytes];
        var entries = GptHeader.BuildEntryArray(Partitions, EntryCount);
        entries.CopyTo(table);
        Header(Crc32.Compute(entries)).ToBackup(SectorCount - 1 - EntrySectors).WriteTo(table.AsSpan(EntrySectors * SectorSize));
        return table;
    }

    /// <summary>A copy with other partitions (the same disk GUID and size).</summary>
    public GptDisk With(IReadOnlyList<GptPartitionEntry> partitions) => new(DiskGuid, SectorCount, partitions);

    /// <summary>
    /// The GPT of a disk of <paramref name="diskBytes"/> bytes: the primary table when its header and entry array pass
    /// their CRCs, else the backup one at the last sector; null when neither does (not a GPT disk, or both damaged).
    /// </summary>
    public static GptDisk? Read(Stream disk, long diskBytes)
    {
        var sectors = (ulong)(diskBytes / SectorSize);
        if (sectors < 70) return null;
        return TryRead(disk, 1, sectors) ?? TryRead(disk, sectors - 1, sectors);
    }

    private static GptDisk? TryRead(Stream disk, ulong headerLba, ulong sectors)
    {
        var sector = new byte[SectorSize];
        disk.Seek((long)headerLba * SectorSize, SeekOrigin.Begin);
        disk.ReadExactly(sector);
        if (GptHeader.Read(sector) is not { } header || header.MyLba != headerLba) return null;
        if (header.NumberOfPartitionEntries is 0 or > 1024 || header.PartitionEntryLba >= sectors) return null;
        var array = new byte[header.NumberOfPartitionEntries * GptPartitionEntry.Length];
        disk.Seek((long)header.PartitionEntryLba * SectorSize, SeekOrigin.Begin);
        disk.ReadExactly(array);
        if (Crc32.Compute(array) != header.PartitionEntryArrayCrc32) return null;
        var entries = new List<GptPartitionEntry>();
        for (var i = 0; i < header.NumberOfPartitionEntries; i++)
        {
            var entry = GptPartitionEntry.Read(array.AsSpan(i * GptPartitionEntry.Length));
            if (!entry.IsUnused) entries.Add(entry);
        }
        // A table of another size (another tool's) is read as it is; this class writes 128 entries back.
        try { return new GptDisk(header.DiskGuid, sectors, entries); }
        catch (ArgumentException) { return null; }
    }

    private GptHeader Header(uint entryArrayCrc) => new(
        MyLba: 1, AlternateLba: SectorCount - 1, FirstUsableLba: FirstUsableLba, LastUsableLba: LastUsableLba,
        DiskGuid: DiskGuid, PartitionEntryLba: 2, NumberOfPartitionEntries: EntryCount, PartitionEntryArrayCrc32: entryArrayCrc);
}
