using NUnit.Framework;
using System.Buffers.Binary;
using System.Text;
using RescueKit.Formats.PartitionTables;

namespace RescueKit.Formats.Tests.PartitionTables;

public class GptTests
{
    private static readonly Guid Disk = new("33323032-3131-4431-B230-303231333230");

    [Test]
    public void HeaderFieldsSitAtTheUefiOffsets()
    {
        var sector = new byte[512];
        new GptHeader(1, 8191, 64, 8128, Disk, 2, 248, 0xDEADBEEF).WriteTo(sector);

        Assert.That(sector.AsSpan(0, 8).ToArray(), Is.EqualTo("EFI PART"u8.ToArray()));
        Assert.That(sector.AsSpan(8, 4).ToArray(), Is.EqualTo(new byte[] { 0, 0, 1, 0 }));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(12)), Is.EqualTo(92));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(sector.AsSpan(24)), Is.EqualTo(1));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(sector.AsSpan(32)), Is.EqualTo(8191));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(sector.AsSpan(40)), Is.EqualTo(64));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(sector.AsSpan(48)), Is.EqualTo(8128));
        Assert.That(new Guid(sector.AsSpan(56, 16)), Is.EqualTo(Disk));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(sector.AsSpan(72)), Is.EqualTo(2));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(80)), Is.EqualTo(248));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(84)), Is.EqualTo(128));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(88)), Is.EqualTo(0xDEADBEEF));
        Assert.That(sector.AsSpan(92).IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
    }

    [Test]
    public void HeaderCrcCoversTheFirst92BytesWithTheCrcFieldZeroed()
    {
        var sector = new byte[512];
        new GptHeader(1, 8191, 64, 8128, Disk, 2, 248, 0x12345678).WriteTo(sector);
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(16));
        sector.AsSpan(16, 4).Clear();
        Assert.That(Crc32.Compute(sector.AsSpan(0, 92)), Is.EqualTo(stored));
    }

    [Test]
    public void BackupSwapsMyAndAlternateLba()
    {
        var backup = new GptHeader(1, 8191, 64, 8128, Disk, 2, 248, 0).ToBackup(8129);
        Assert.That((backup.MyLba, backup.AlternateLba, backup.PartitionEntryLba), Is.EqualTo((8191UL, 1UL, 8129UL)));
    }

    [Test]
    public void EntryUsesMixedEndianGuidsAndUtf16Name()
    {
        var entry = new byte[128];
        new GptPartitionEntry(GptPartitionTypes.EfiSystem, Disk, 164, 5923,
            GptPartitionEntry.BasicDataReadOnly | GptPartitionEntry.RequiredPartition, "ISOHybrid1").WriteTo(entry);

        Assert.That(Convert.ToHexString(entry.AsSpan(0, 16)), Is.EqualTo("28732AC11FF8D211BA4B00A0C93EC93B"));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(entry.AsSpan(32)), Is.EqualTo(164));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(entry.AsSpan(40)), Is.EqualTo(5923));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(entry.AsSpan(48)), Is.EqualTo(0x1000000000000001));
        Assert.That(Encoding.Unicode.GetString(entry.AsSpan(56, 20)), Is.EqualTo("ISOHybrid1"));
        Assert.That(entry.AsSpan(76).IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
    }

    [Test]
    public void TooLongPartitionNameIsRejected() =>
        Assert.Throws<ArgumentException>(() =>
            new GptPartitionEntry(GptPartitionTypes.BasicData, Disk, 1, 2, 0, new string('x', 37)).WriteTo(new byte[128]));

    [Test]
    public void EntryArrayHasEveryUnusedSlotZero()
    {
        var array = GptHeader.BuildEntryArray([new(GptPartitionTypes.BasicData, Disk, 0, 1, 0, "a")], 248);
        Assert.That(array, Has.Length.EqualTo(248 * 128));
        Assert.That(array.AsSpan(128).IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
    }
}
