using NUnit.Framework;
using RescueKit.Formats.PartitionTables;

namespace RescueKit.Formats.Tests.PartitionTables;

public class MbrPartitionEntryTests
{
    [Test]
    public void IsohybridP1MatchesXorrisoBytes()
    {
        // formats.md §9: 80 00 01 00 00 3f 20 03 00000000 00200000 (8192 sectors, 64 heads × 32 sectors).
        var entry = new byte[16];
        new MbrPartitionEntry(MbrPartitionEntry.Active, ChsAddress.From(0, 0, 1), 0x00, ChsAddress.From(3, 63, 32), 0, 8192)
            .WriteTo(entry);
        Assert.That(Convert.ToHexString(entry), Is.EqualTo("8000010000" + "3F2003" + "00000000" + "00200000"));
    }

    [Test]
    public void EfiP2WithOutOfRangeChsMatchesXorrisoBytes()
    {
        var entry = new byte[16];
        new MbrPartitionEntry(0, ChsAddress.OutOfRange, 0xEF, ChsAddress.OutOfRange, 164, 5760).WriteTo(entry);
        Assert.That(Convert.ToHexString(entry), Is.EqualTo("00FEFFFFEFFEFFFFA400000080160000"));
    }

    [Test]
    public void CylinderBeyond1023IsOutOfRange() =>
        Assert.That(ChsAddress.From(1024, 0, 1), Is.EqualTo(ChsAddress.OutOfRange));

    [Test]
    public void LayoutOffsets() =>
        Assert.That((MbrLayout.DiskSignature, MbrLayout.PartitionTable, MbrLayout.BootSignature), Is.EqualTo((440, 446, 510)));
}
