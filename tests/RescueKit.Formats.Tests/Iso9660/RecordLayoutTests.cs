using NUnit.Framework;
using System.Buffers.Binary;
using System.Text;
using RescueKit.Formats.Iso9660;

namespace RescueKit.Formats.Tests.Iso9660;

/// <summary>Pins the byte layout of the records the writer emits (formats.md §2-§9).</summary>
public class RecordLayoutTests
{
    private byte[] image = null!;
    private byte[] isolinux = null!;

    [OneTimeSetUp]
    public void BuildImage()
    {
        isolinux = IsoTestImages.FakeIsolinux();
        image = IsoTestImages.Build(IsoTestImages.BootableBuilder(isolinux));
    }

    private static uint Le32(ReadOnlySpan<byte> s) => BinaryPrimitives.ReadUInt32LittleEndian(s);
    private static uint Be32(ReadOnlySpan<byte> s) => BinaryPrimitives.ReadUInt32BigEndian(s);

    [Test]
    public void PrimaryVolumeDescriptorFields()
    {
        var pvd = IsoTestImages.Block(image, 16);
        Assert.Multiple(() =>
        {
            Assert.That(pvd[0], Is.EqualTo(1));
            Assert.That(Encoding.ASCII.GetString(pvd.AsSpan(1, 5)), Is.EqualTo("CD001"));
            Assert.That(pvd[6], Is.EqualTo(1));
            Assert.That(Encoding.ASCII.GetString(pvd.AsSpan(40, 32)), Is.EqualTo("TEST_ISO".PadRight(32)));
            Assert.That(Le32(pvd[80..]), Is.EqualTo(image.Length / 2048));
            Assert.That(Be32(pvd[84..]), Is.EqualTo(image.Length / 2048));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(pvd[120..]), Is.EqualTo(1));
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(pvd[130..]), Is.EqualTo(2048));
            Assert.That(Le32(pvd[132..]), Is.EqualTo(Be32(pvd[136..])));
            Assert.That(pvd[156], Is.EqualTo(34), "root record length");
            Assert.That(Le32(pvd[(156 + 2)..]), Is.EqualTo(20u), "root directory right after PVD, BR, SVD, VDST");
            Assert.That(Encoding.ASCII.GetString(pvd.AsSpan(446, 9)), Is.EqualTo("RESCUEKIT"));
            Assert.That(Encoding.ASCII.GetString(pvd.AsSpan(813, 16)), Is.EqualTo("2023111422132000"));
            Assert.That(Encoding.ASCII.GetString(pvd.AsSpan(847, 16)), Is.EqualTo("0000000000000000"));
            Assert.That(pvd[881], Is.EqualTo(1));
        });
    }

    [Test]
    public void PathTablesAgreeInBothByteOrders()
    {
        var pvd = IsoTestImages.Block(image, 16);
        var l = IsoTestImages.Block(image, Le32(pvd[140..]));
        var m = IsoTestImages.Block(image, Be32(pvd[148..]));
        Assert.That(Convert.ToHexString(l, 0, 10), Is.EqualTo("01001400000001000000"), "root: LEN_DI 1, LBA 20, parent 1, id 00 + pad");
        Assert.That(Convert.ToHexString(m, 0, 10), Is.EqualTo("01000000001400010000"));
    }

    [Test]
    public void BootRecordAndTerminatorAndJoliet()
    {
        var br = IsoTestImages.Block(image, 17);
        var svd = IsoTestImages.Block(image, 18);
        var term = IsoTestImages.Block(image, 19);
        Assert.Multiple(() =>
        {
            Assert.That(br[0], Is.EqualTo(0));
            Assert.That(br.AsSpan(7, 32).ToArray(), Is.EqualTo("EL TORITO SPECIFICATION"u8.ToArray().Concat(new byte[9])));
            Assert.That(svd[0], Is.EqualTo(2));
            Assert.That(svd.AsSpan(88, 3).ToArray(), Is.EqualTo("%/E"u8.ToArray()));
            Assert.That(Encoding.BigEndianUnicode.GetString(svd.AsSpan(40, 16)), Is.EqualTo("TEST_ISO"));
            Assert.That(svd.AsSpan(56, 2).ToArray(), Is.EqualTo(new byte[] { 0, 0x20 }));
            Assert.That(term[0], Is.EqualTo(255));
            Assert.That(Encoding.ASCII.GetString(term.AsSpan(1, 5)), Is.EqualTo("CD001"));
        });
    }

    [Test]
    public void BootCatalogEntries()
    {
        var catalog = IsoTestImages.Block(image, Le32(IsoTestImages.Block(image, 17)[71..]));
        ushort sum = 0;
        for (var i = 0; i < 32; i += 2) sum += BinaryPrimitives.ReadUInt16LittleEndian(catalog[i..]);
        Assert.Multiple(() =>
        {
            Assert.That(catalog[0], Is.EqualTo(1), "validation header id");
            Assert.That(catalog[1], Is.EqualTo(0), "platform x86 (the initial entry's)");
            Assert.That(catalog.AsSpan(30, 2).ToArray(), Is.EqualTo(new byte[] { 0x55, 0xAA }));
            Assert.That(sum, Is.EqualTo(0), "validation checksum makes the word sum zero");
            Assert.That(catalog[32], Is.EqualTo(0x88));
            Assert.That(catalog[33], Is.EqualTo(0), "no emulation");
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(catalog[34..]), Is.EqualTo(0), "load segment");
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(catalog[38..]), Is.EqualTo(4), "ISOLINUX loads 4 sectors");
            Assert.That(catalog[64], Is.EqualTo(0x91), "final section header");
            Assert.That(catalog[65], Is.EqualTo(0xEF), "UEFI platform");
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(catalog[66..]), Is.EqualTo(1));
            Assert.That(catalog[96], Is.EqualTo(0x88));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(catalog[102..]), Is.EqualTo(4), "ceil((3*512+1)/512)");
            Assert.That(catalog.AsSpan(128).IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
        });
    }

    [TestCase(512L, (ushort)1)]
    [TestCase(2949120L, (ushort)5760)]
    [TestCase(65535L * 512, (ushort)65535)]
    [TestCase(65535L * 512 + 1, (ushort)0)]
    public void EfiSectorCountIsZeroBeyondU16(long size, ushort expected) =>
        Assert.That(BootCatalog.EfiSectorCount(size), Is.EqualTo(expected));

    [Test]
    public void BootInfoTableIsPatchedIntoTheCopyOnly()
    {
        var original = IsoTestImages.FakeIsolinux();
        var catalog = IsoTestImages.Block(image, Le32(IsoTestImages.Block(image, 17)[71..]));
        var lba = Le32(catalog[40..]);
        var copy = image.AsSpan((int)(lba * 2048), original.Length).ToArray();
        uint expectedSum = 0;
        var padded = original.Skip(64).Concat(new byte[3]).ToArray();
        for (var i = 0; i + 4 <= original.Length - 64 + 3; i += 4) expectedSum += BinaryPrimitives.ReadUInt32LittleEndian(padded.AsSpan(i));
        Assert.Multiple(() =>
        {
            Assert.That(Le32(copy[8..]), Is.EqualTo(16u), "bi_pvd");
            Assert.That(Le32(copy[12..]), Is.EqualTo(lba), "bi_file");
            Assert.That(Le32(copy[16..]), Is.EqualTo((uint)original.Length), "bi_length");
            Assert.That(Le32(copy[20..]), Is.EqualTo(expectedSum), "bi_csum over bytes 64..end");
            Assert.That(copy.AsSpan(24, 40).IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "bi_reserved cleared");
            Assert.That(copy.AsSpan(64).SequenceEqual(original.AsSpan(64)), Is.True);
            Assert.That(isolinux, Is.EqualTo(original), "the source bytes are never modified");
        });
    }

    [Test]
    public void HybridMbrCarriesCodeBootImageSectorAndPartitions()
    {
        var mbr = image[..512];
        var catalog = IsoTestImages.Block(image, Le32(IsoTestImages.Block(image, 17)[71..]));
        var biosLba = Le32(catalog[40..]);
        var efiLba = Le32(catalog[104..]);
        var sectors = (uint)(image.Length / 512);
        var code = Enumerable.Range(0, 432).Select(i => (byte)(i ^ 0x5A)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(mbr[..432], Is.EqualTo(code));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(mbr[432..]), Is.EqualTo(biosLba * 4UL));
            Assert.That(mbr[446], Is.EqualTo(0x80));
            Assert.That(mbr[446 + 4], Is.EqualTo(0x00), "P1 type 0 with the EFI partition nested");
            Assert.That(Le32(mbr[(446 + 8)..]), Is.EqualTo(0u));
            Assert.That(Le32(mbr[(446 + 12)..]), Is.EqualTo(sectors));
            Assert.That(mbr[462 + 4], Is.EqualTo(0xEF));
            Assert.That(Le32(mbr[(462 + 8)..]), Is.EqualTo(efiLba * 4));
            Assert.That(Le32(mbr[(462 + 12)..]), Is.EqualTo(4u));
            Assert.That(mbr[510..], Is.EqualTo(new byte[] { 0x55, 0xAA }));
            Assert.That(image.Length % (1024 * 1024), Is.EqualTo(0), "padded to whole MiB");
        });
    }

    [Test]
    public void PrimaryAndBackupGptHeadersPointAtEachOther()
    {
        var sectors = (ulong)(image.Length / 512);
        var primary = image[512..1024];
        var backup = image[^512..];
        Assert.Multiple(() =>
        {
            Assert.That(primary[..8], Is.EqualTo("EFI PART"u8.ToArray()));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(primary[32..]), Is.EqualTo(sectors - 1));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(primary[40..]), Is.EqualTo(64UL));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(primary[48..]), Is.EqualTo(sectors - 64));
            Assert.That(Le32(primary[80..]), Is.EqualTo(248u));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(backup[24..]), Is.EqualTo(sectors - 1));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(backup[32..]), Is.EqualTo(1UL));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(backup[72..]), Is.EqualTo(sectors - 63));
            Assert.That(image.AsSpan(1024, 248 * 128).SequenceEqual(image.AsSpan((int)(sectors - 63) * 512, 248 * 128)), Is.True);
            Assert.That(Le32(primary[88..]), Is.EqualTo(RescueKit.Formats.PartitionTables.Crc32.Compute(image.AsSpan(1024, 248 * 128))));
        });
    }
}
