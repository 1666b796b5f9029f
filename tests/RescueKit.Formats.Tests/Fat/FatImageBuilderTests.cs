using System.Buffers.Binary;
using System.Text;
using NUnit.Framework;
using RescueKit.Formats.Fat;

namespace RescueKit.Formats.Tests.Fat;

public class FatImageBuilderTests
{
    private static readonly DateTime Timestamp = new(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc);

    private static byte[] Write(FatImageBuilder builder)
    {
        var ms = new MemoryStream();
        builder.WriteTo(ms);
        return ms.ToArray();
    }

    private static FatImageBuilder Small(FatType? type = null)
    {
        var b = new FatImageBuilder("EFIBOOT", 0x1234ABCD, Timestamp) { Type = type };
        b.AddFile("EFI/BOOT/BOOTX64.EFI", new byte[10_000]);
        b.AddFile("boot/grub/grub.cfg", "set x=1\n"u8.ToArray());
        return b;
    }

    [Test]
    public void Small_content_gives_a_small_FAT12_image_and_WriteTo_writes_exactly_the_planned_size()
    {
        var b = Small();
        Assert.That(b.PlannedType, Is.EqualTo(FatType.Fat12));
        Assert.That(b.PlannedSizeBytes, Is.LessThan(256 * 1024));
        Assert.That(Write(b).Length, Is.EqualTo(b.PlannedSizeBytes));
    }

    [TestCase(FatType.Fat12, 0xEB, 0x3C, "FAT12   ")]
    [TestCase(FatType.Fat16, 0xEB, 0x3C, "FAT16   ")]
    [TestCase(FatType.Fat32, 0xEB, 0x58, "FAT32   ")]
    public void Boot_sector_fields_are_written_where_the_BPB_table_says(FatType type, int jmp0, int jmp1, string fsType)
    {
        var b = Small(type);
        b.HiddenSectors = 2048;
        var image = Write(b);
        int ext = type == FatType.Fat32 ? 64 : 36;
        Assert.Multiple(() =>
        {
            Assert.That((image[0], image[1], image[2]), Is.EqualTo(((byte)jmp0, (byte)jmp1, (byte)0x90)));
            Assert.That(Encoding.ASCII.GetString(image, 3, 8), Is.EqualTo("MSWIN4.1"));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(11)), Is.EqualTo(512));
            Assert.That(image[16], Is.EqualTo(2), "NumFATs");
            Assert.That(image[21], Is.EqualTo(0xF8), "Media");
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(28)), Is.EqualTo(2048u), "HiddSec");
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(ext + 3)), Is.EqualTo(0x1234ABCDu), "VolID");
            Assert.That(Encoding.ASCII.GetString(image, ext + 7, 11), Is.EqualTo("EFIBOOT    "));
            Assert.That(Encoding.ASCII.GetString(image, ext + 18, 8), Is.EqualTo(fsType));
            Assert.That((image[ext + 2], image[510], image[511]), Is.EqualTo(((byte)0x29, (byte)0x55, (byte)0xAA)));
            ushort tot16 = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(19));
            uint tot32 = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(32));
            Assert.That(tot16 == 0 ? tot32 : tot16, Is.EqualTo((uint)(image.Length / 512)));
        });
        if (type == FatType.Fat32)
        {
            Assert.Multiple(() =>
            {
                Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(22)), Is.EqualTo(0), "FATSz16 = 0 means FAT32");
                Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(17)), Is.EqualTo(0), "RootEntCnt");
                Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(14)), Is.EqualTo(32), "RsvdSecCnt");
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(40)), Is.EqualTo(0u), "ExtFlags + FSVer");
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(44)), Is.EqualTo(2u), "RootClus");
                Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(48)), Is.EqualTo(1), "FSInfo");
                Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(50)), Is.EqualTo(6), "BkBootSec");
                Assert.That(image.AsSpan(6 * 512, 1024).ToArray(), Is.EqualTo(image.AsSpan(0, 1024).ToArray()), "backup of sectors 0-1");
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(512)), Is.EqualTo(0x41615252u));
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(512 + 484)), Is.EqualTo(0x61417272u));
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(512 + 488)),
                    Is.EqualTo((uint)(b.PlannedClusterCount - 26)), "free = clusters - (root + 4 dirs + 20 for 10,000 bytes + 1 for grub.cfg)");
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(512 + 492)), Is.EqualTo(28u), "next free = first unused cluster");
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(512 + 508)), Is.EqualTo(0xAA550000u));
                Assert.That(b.PlannedClusterCount, Is.GreaterThanOrEqualTo(65541), "EDK2 rejects FAT32 below 65525 clusters");
            });
        }
    }

    [TestCase(FatType.Fat12)]
    [TestCase(FatType.Fat16)]
    [TestCase(FatType.Fat32)]
    public void Root_holds_the_label_entry_and_subdirectories_point_dotdot_at_their_parent(FatType type)
    {
        var b = Small(type);
        var image = new FatImageReader(Write(b));
        var root = image.ReadDirectory(image.RootCluster);
        Assert.That((root[0].Name, root[0].Attr), Is.EqualTo(("EFIBOOT    ", (byte)0x08)));

        var efi = root.Single(e => e.Name == "EFI        ");
        Assert.That(efi.Attr, Is.EqualTo(0x10));
        var efiEntries = image.ReadDirectory(efi.Cluster);
        Assert.That((efiEntries[0].Name, efiEntries[0].Cluster), Is.EqualTo((".          ", efi.Cluster)));
        Assert.That((efiEntries[1].Name, efiEntries[1].Cluster), Is.EqualTo(("..         ", 0u)), "parent is the root: 0, also on FAT32");
        var boot = efiEntries.Single(e => e.Name == "BOOT       ");
        Assert.That(image.ReadDirectory(boot.Cluster)[1].Cluster, Is.EqualTo(efi.Cluster));

        var grubDir = image.ReadDirectory(root.Single(e => e.Name == "BOOT       ").Cluster).Single(e => e.Name == "GRUB       ");
        var cfg = image.ReadDirectory(grubDir.Cluster).Single(e => e.Name == "GRUB    CFG");
        Assert.That((cfg.NTRes, cfg.Attr, cfg.Size), Is.EqualTo(((byte)0x18, (byte)0x20, 8u)), "lower-case 8.3 name: no LFN, NTRes 0x18");
    }

    [Test]
    public void Output_is_reproducible_and_independent_of_the_order_of_Add_calls()
    {
        var a = new FatImageBuilder("X", 7, Timestamp);
        a.AddFile("b/two.txt", [2]);
        a.AddFile("a/One File.txt", [1]);
        var b = new FatImageBuilder("X", 7, Timestamp);
        b.AddFile("a/One File.txt", [1]);
        b.AddFile("b/two.txt", [2]);
        Assert.That(Write(a), Is.EqualTo(Write(b)));
        Assert.That(Write(a), Is.EqualTo(Write(a)));
    }

    [Test]
    public void Minimum_size_is_honoured_and_picks_a_type_for_it()
    {
        var b = Small();
        b.MinimumSizeBytes = 64L * 1024 * 1024;
        Assert.That(b.PlannedSizeBytes, Is.EqualTo(64L * 1024 * 1024));
        Assert.That(b.PlannedType, Is.EqualTo(FatType.Fat16));
        b.Type = FatType.Fat32;
        Assert.That((b.PlannedType, b.PlannedSizeBytes), Is.EqualTo((FatType.Fat32, 64L * 1024 * 1024)));
        b.MinimumSizeBytes = 600L * 1024 * 1024;
        b.Type = null;
        Assert.That(b.PlannedType, Is.EqualTo(FatType.Fat32), "FAT16 stops at 512 MiB without a forced type");
        Assert.That(b.PlannedClusterBytes, Is.EqualTo(4096), "Microsoft's table: 4 KiB clusters up to 8 GiB");
    }

    [Test]
    public void Planned_size_covers_random_trees_and_matches_the_bytes_written()
    {
        var random = new Random(42);
        for (int round = 0; round < 20; round++)
        {
            var b = new FatImageBuilder("RND", (uint)round, Timestamp);
            int files = random.Next(1, 200);
            for (int i = 0; i < files; i++)
            {
                var dir = "d" + random.Next(0, 5) + (random.Next(2) == 0 ? "/Sub Dir " + random.Next(3) : "");
                b.AddFile($"{dir}/File number {i} with a long name.bin", new byte[random.Next(0, 20_000)]);
            }
            var image = Write(b);
            Assert.That(image.Length, Is.EqualTo(b.PlannedSizeBytes), $"round {round}");
            Assert.That(FatGeometry.IsSafeClusterCount(b.PlannedType, b.PlannedClusterCount), Is.True);
        }
    }

    [Test]
    public void A_requested_type_the_size_cannot_hold_names_Type()
    {
        var b = Small(FatType.Fat12);
        b.MinimumSizeBytes = 256L * 1024 * 1024;
        var ex = Assert.Throws<ArgumentException>(() => _ = b.PlannedSizeBytes);
        Assert.That(ex!.ParamName, Is.EqualTo("Type"));
        Assert.That(ex.Message, Does.Contain("Fat12"));
    }

    [Test]
    public void A_file_bigger_than_FAT32_allows_is_rejected()
    {
        var dir = Directory.CreateTempSubdirectory("rescuekit-fat-big-");
        try
        {
            var path = Path.Combine(dir.FullName, "sparse.bin");
            using (var f = File.Create(path)) f.SetLength(4L * 1024 * 1024 * 1024); // sparse: no disk space used
            var b = new FatImageBuilder("", 1, Timestamp);
            var ex = Assert.Throws<ArgumentException>(() => b.AddFile("huge.bin", path));
            Assert.That(ex!.Message, Does.Contain("4294967295"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [TestCase("a:b.txt", "U+003A")]
    [TestCase("dir/", "empty component")]
    [TestCase("a/../b", "'..'")]
    [TestCase("name.", "ends with '.'")]
    [TestCase("", "empty")]
    public void Bad_paths_are_rejected(string path, string messagePart)
    {
        var b = new FatImageBuilder("", 1, Timestamp);
        var ex = Assert.Throws<ArgumentException>(() => b.AddFile(path, [1]));
        Assert.That(ex!.Message, Does.Contain(messagePart));
    }

    [Test]
    public void Names_that_differ_only_in_case_collide_and_files_cannot_be_parents()
    {
        var b = new FatImageBuilder("", 1, Timestamp);
        b.AddFile("EFI/boot.efi", [1]);
        Assert.Throws<ArgumentException>(() => b.AddFile("efi/BOOT.EFI", [2]));
        Assert.Throws<ArgumentException>(() => b.AddDirectory("EFI/boot.efi/x"));
        Assert.DoesNotThrow(() => b.AddDirectory("efi"), "an existing directory, matched case-insensitively");
    }

    [Test]
    public void Timestamps_outside_the_FAT_range_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FatImageBuilder("", 1, new DateTime(1979, 12, 31)));

    [Test]
    public void A_host_file_that_changed_since_AddFile_stops_WriteTo_before_writing()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[100]);
            var b = new FatImageBuilder("", 1, Timestamp);
            b.AddFile("f.bin", path);
            File.WriteAllBytes(path, new byte[50]);
            var ms = new MemoryStream();
            Assert.Throws<IOException>(() => b.WriteTo(ms));
            Assert.That(ms.Length, Is.EqualTo(0));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
