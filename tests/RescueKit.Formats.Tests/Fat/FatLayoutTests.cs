using NUnit.Framework;
using RescueKit.Formats.Fat;

namespace RescueKit.Formats.Tests.Fat;

/// <summary>Pins offsets, type boundaries and encodings against formats.md §10.</summary>
public class FatLayoutTests
{
    [Test]
    public void Boot_sector_offsets_match_the_BPB_table()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FatBootSectorLayout.BytsPerSec, Is.EqualTo(11));
            Assert.That(FatBootSectorLayout.SecPerClus, Is.EqualTo(13));
            Assert.That(FatBootSectorLayout.RsvdSecCnt, Is.EqualTo(14));
            Assert.That(FatBootSectorLayout.NumFATs, Is.EqualTo(16));
            Assert.That(FatBootSectorLayout.RootEntCnt, Is.EqualTo(17));
            Assert.That(FatBootSectorLayout.TotSec16, Is.EqualTo(19));
            Assert.That(FatBootSectorLayout.Media, Is.EqualTo(21));
            Assert.That(FatBootSectorLayout.FATSz16, Is.EqualTo(22));
            Assert.That(FatBootSectorLayout.HiddSec, Is.EqualTo(28));
            Assert.That(FatBootSectorLayout.TotSec32, Is.EqualTo(32));
            Assert.That(FatBootSectorLayout.FATSz32, Is.EqualTo(36));
            Assert.That(FatBootSectorLayout.ExtFlags, Is.EqualTo(40));
            Assert.That(FatBootSectorLayout.FSVer, Is.EqualTo(42));
            Assert.That(FatBootSectorLayout.RootClus, Is.EqualTo(44));
            Assert.That(FatBootSectorLayout.FSInfo, Is.EqualTo(48));
            Assert.That(FatBootSectorLayout.BkBootSec, Is.EqualTo(50));
            Assert.That(FatBootSectorLayout.ExtendedBase(FatType.Fat16) + FatBootSectorLayout.VolIDRel, Is.EqualTo(39));
            Assert.That(FatBootSectorLayout.ExtendedBase(FatType.Fat16) + FatBootSectorLayout.VolLabRel, Is.EqualTo(43));
            Assert.That(FatBootSectorLayout.ExtendedBase(FatType.Fat16) + FatBootSectorLayout.FilSysTypeRel, Is.EqualTo(54));
            Assert.That(FatBootSectorLayout.ExtendedBase(FatType.Fat32) + FatBootSectorLayout.DrvNumRel, Is.EqualTo(64));
            Assert.That(FatBootSectorLayout.ExtendedBase(FatType.Fat32) + FatBootSectorLayout.VolIDRel, Is.EqualTo(67));
            Assert.That(FatBootSectorLayout.ExtendedBase(FatType.Fat32) + FatBootSectorLayout.VolLabRel, Is.EqualTo(71));
            Assert.That(FatBootSectorLayout.ExtendedBase(FatType.Fat32) + FatBootSectorLayout.FilSysTypeRel, Is.EqualTo(82));
            Assert.That(FatBootSectorLayout.FsiFreeCount, Is.EqualTo(488));
            Assert.That(FatBootSectorLayout.FsiNxtFree, Is.EqualTo(492));
        });
    }

    [Test]
    public void Directory_entry_offsets_match_the_spec()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FatDirectoryEntryLayout.Attr, Is.EqualTo(11));
            Assert.That(FatDirectoryEntryLayout.NTRes, Is.EqualTo(12));
            Assert.That(FatDirectoryEntryLayout.CrtTime, Is.EqualTo(14));
            Assert.That(FatDirectoryEntryLayout.LstAccDate, Is.EqualTo(18));
            Assert.That(FatDirectoryEntryLayout.FstClusHI, Is.EqualTo(20));
            Assert.That(FatDirectoryEntryLayout.WrtTime, Is.EqualTo(22));
            Assert.That(FatDirectoryEntryLayout.WrtDate, Is.EqualTo(24));
            Assert.That(FatDirectoryEntryLayout.FstClusLO, Is.EqualTo(26));
            Assert.That(FatDirectoryEntryLayout.FileSize, Is.EqualTo(28));
            Assert.That(FatDirectoryEntryLayout.LdirChksum, Is.EqualTo(13));
            Assert.That(FatDirectoryEntryLayout.LdirName2, Is.EqualTo(14));
            Assert.That(FatDirectoryEntryLayout.LdirFstClusLO, Is.EqualTo(26));
            Assert.That(FatDirectoryEntryLayout.LdirName3, Is.EqualTo(28));
        });
    }

    [TestCase(1, FatType.Fat12)]
    [TestCase(4084, FatType.Fat12)]
    [TestCase(4085, FatType.Fat16)]
    [TestCase(65524, FatType.Fat16)]
    [TestCase(65525, FatType.Fat32)]
    public void Type_follows_the_cluster_count(long clusters, FatType expected) =>
        Assert.That(FatGeometry.Classify(clusters), Is.EqualTo(expected));

    [TestCase(FatType.Fat12, 4068, true)]
    [TestCase(FatType.Fat12, 4069, false)]
    [TestCase(FatType.Fat16, 4100, false)]
    [TestCase(FatType.Fat16, 4101, true)]
    [TestCase(FatType.Fat16, 65508, true)]
    [TestCase(FatType.Fat16, 65509, false)]
    [TestCase(FatType.Fat32, 65540, false)]
    [TestCase(FatType.Fat32, 65541, true)]
    public void Planned_cluster_counts_keep_16_clear_of_the_boundaries(FatType type, long clusters, bool safe) =>
        Assert.That(FatGeometry.IsSafeClusterCount(type, clusters), Is.EqualTo(safe));

    [Test]
    public void Fat12_entries_pack_two_in_three_bytes()
    {
        // formats.md §10: f0 ff ff ff ff ff 05 60 00 07 80 00 = F0/FFF/FFF/FFF/005/006/007/008.
        var table = new byte[12];
        uint[] values = [0xFF0, 0xFFF, 0xFFF, 0xFFF, 0x005, 0x006, 0x007, 0x008];
        for (uint n = 0; n < values.Length; n++) FatTable.SetEntry(FatType.Fat12, table, n, values[n]);
        Assert.That(Convert.ToHexString(table), Is.EqualTo("F0FFFFFFFFFF056000078000"));
    }

    [Test]
    public void Fat_table_chains_each_extent_and_ends_it()
    {
        var g = new FatGeometry(FatType.Fat16, 1, 1, 512, 1, 10000);
        var table = FatTable.Build(g, 0xF8, [(2u, 3u), (5u, 1u)]);
        Assert.That(Convert.ToHexString(table[..12]), Is.EqualTo("F8FFFFFF" + "0300" + "0400" + "FFFF" + "FFFF"));
        var g32 = g with { Type = FatType.Fat32 };
        var table32 = FatTable.Build(g32, 0xF8, [(2u, 2u)]);
        Assert.That(Convert.ToHexString(table32[..16]), Is.EqualTo("F8FFFF0F" + "FFFFFF0F" + "03000000" + "FFFFFF0F"));
    }

    [Test]
    public void Sizing_loop_gives_the_smallest_FAT_that_covers_the_clusters()
    {
        // mkfs.fat 64 MiB -F32: spc 1, rsvd 32, FATSz 1009, 129022 clusters (formats.md §10).
        var g = FatGeometry.ForTotalSectors(FatType.Fat32, 1, 0, 131072);
        Assert.That((g.FatSectors, g.ClusterCount), Is.EqualTo((1009u, 129022L)));
        // mkfs.fat 32 MiB -F16 uses rsvd 4; with rsvd 1 and spc 4 the FAT is still 64 sectors.
        var g16 = FatGeometry.ForTotalSectors(FatType.Fat16, 4, 512, 65536);
        Assert.That(g16.FatSectors, Is.EqualTo(64u));
    }

    [Test]
    public void Dates_and_times_use_the_FAT_bit_layout()
    {
        var t = new DateTime(2026, 11, 22, 4, 38, 17);
        Assert.That(FatDirectoryEntry.EncodeDate(t), Is.EqualTo(0x5D76));
        Assert.That(FatDirectoryEntry.EncodeTime(t), Is.EqualTo((4 << 11) | (38 << 5) | 8));
    }
}
