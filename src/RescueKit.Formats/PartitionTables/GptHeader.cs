using System.Buffers.Binary;

namespace RescueKit.Formats.PartitionTables;

/// <summary>
/// A GPT header (UEFI 2.x table 5-5). <see cref="WriteTo"/> computes HeaderCRC32 itself; the caller passes the
/// PartitionEntryArrayCRC32, computed over all NumberOfPartitionEntries × SizeOfPartitionEntry bytes first.
/// </summary>
internal readonly record struct GptHeader(
    ulong MyLba, ulong AlternateLba, ulong FirstUsableLba, ulong LastUsableLba, Guid DiskGuid,
    ulong PartitionEntryLba, uint NumberOfPartitionEntries, uint PartitionEntryArrayCrc32)
{
    public const int HeaderSize = 92;
    public const uint Revision = 0x00010000;
    public static ReadOnlySpan<byte> Signature => "EFI PART"u8;

    public const int SignatureOffset = 0;
    public const int RevisionOffset = SignatureOffset + 8;
    public const int HeaderSizeOffset = RevisionOffset + 4;
    public const int HeaderCrc32Offset = HeaderSizeOffset + 4;
    public const int ReservedOffset = HeaderCrc32Offset + 4;
    public const int MyLbaOffset = ReservedOffset + 4;
    public const int AlternateLbaOffset = MyLbaOffset + 8;
    public const int FirstUsableLbaOffset = AlternateLbaOffset + 8;
    public const int LastUsableLbaOffset = FirstUsableLbaOffset + 8;
    public const int DiskGuidOffset = LastUsableLbaOffset + 8;
    public const int PartitionEntryLbaOffset = DiskGuidOffset + 16;
    public const int NumberOfPartitionEntriesOffset = PartitionEntryLbaOffset + 8;
    public const int SizeOfPartitionEntryOffset = NumberOfPartitionEntriesOffset + 4;
    public const int PartitionEntryArrayCrc32Offset = SizeOfPartitionEntryOffset + 4;

    /// <summary>Writes the header into a 512-byte sector (the rest of the sector is zeroed).</summary>
    public void WriteTo(Span<byte> sector)
    {
        sector = sector[..MbrLayout.SectorSize];
        sector.Clear();
        Signature.CopyTo(sector);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[RevisionOffset..], Revision);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[HeaderSizeOffset..], HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(sector[MyLbaOffset..], MyLba);
        BinaryPrimitives.WriteUInt64LittleEndian(sector[AlternateLbaOffset..], AlternateLba);
        BinaryPrimitives.WriteUInt64LittleEndian(sector[FirstUsableLbaOffset..], FirstUsableLba);
        BinaryPrimitives.WriteUInt64LittleEndian(sector[LastUsableLbaOffset..], LastUsableLba);
        DiskGuid.TryWriteBytes(sector[DiskGuidOffset..]);
        BinaryPrimitives.WriteUInt64LittleEndian(sector[PartitionEntryLbaOffset..], PartitionEntryLba);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[NumberOfPartitionEntriesOffset..], NumberOfPartitionEntries);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[SizeOfPartitionEntryOffset..], GptPartitionEntry.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(sector[PartitionEntryArrayCrc32Offset..], PartitionEntryArrayCrc32);
        // HeaderCRC32 covers HeaderSize bytes with its own field still zero (UEFI 2.x 5.3.2).
        BinaryPrimitives.WriteUInt32LittleEndian(sector[HeaderCrc32Offset..], Crc32.Compute(sector[..HeaderSize]));
    }

    /// <summary>
    /// Parses a header sector; null unless the signature, HeaderSize, HeaderCRC32 and the 128-byte entry size all are
    /// what UEFI 2.x 5.3.2 requires (the caller still checks the entry array against PartitionEntryArrayCRC32).
    /// </summary>
    public static GptHeader? Read(ReadOnlySpan<byte> sector)
    {
        if (sector.Length < MbrLayout.SectorSize || !sector.StartsWith(Signature)) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(sector[HeaderSizeOffset..]) != HeaderSize) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(sector[SizeOfPartitionEntryOffset..]) != GptPartitionEntry.Length) return null;
        Span<byte> copy = stackalloc byte[HeaderSize];
        sector[..HeaderSize].CopyTo(copy);
        copy[HeaderCrc32Offset..(HeaderCrc32Offset + 4)].Clear();
        if (Crc32.Compute(copy) != BinaryPrimitives.ReadUInt32LittleEndian(sector[HeaderCrc32Offset..])) return null;
        return new GptHeader(
            BinaryPrimitives.ReadUInt64LittleEndian(sector[MyLbaOffset..]), BinaryPrimitives.ReadUInt64LittleEndian(sector[AlternateLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(sector[FirstUsableLbaOffset..]), BinaryPrimitives.ReadUInt64LittleEndian(sector[LastUsableLbaOffset..]),
            new Guid(sector.Slice(DiskGuidOffset, 16)), BinaryPrimitives.ReadUInt64LittleEndian(sector[PartitionEntryLbaOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[NumberOfPartitionEntriesOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[PartitionEntryArrayCrc32Offset..]));
    }

    /// <summary>The backup copy of this header: MyLBA and AlternateLBA swapped, entries at <paramref name="backupEntryLba"/>.</summary>
    public GptHeader ToBackup(ulong backupEntryLba) =>
        this with { MyLba = AlternateLba, AlternateLba = MyLba, PartitionEntryLba = backupEntryLba };

    /// <summary>Serialises <paramref name="entries"/> into an array of <paramref name="entryCount"/> slots (unused slots zero).</summary>
    public static byte[] BuildEntryArray(IReadOnlyList<GptPartitionEntry> entries, int entryCount)
    {
        if (entries.Count > entryCount)
            throw new ArgumentException($"{entries.Count} GPT entries exceed the array's {entryCount} slots", nameof(entries));
        var array = new byte[entryCount * GptPartitionEntry.Length];
        for (var i = 0; i < entries.Count; i++) entries[i].WriteTo(array.AsSpan(i * GptPartitionEntry.Length));
        return array;
    }
}
