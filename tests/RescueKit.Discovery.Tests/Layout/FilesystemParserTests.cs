using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;

namespace RescueKit.Discovery.Tests.Layout;

/// <summary>The filesystem-feature, swap and fstab parsers on real tool outputs (Fixtures/layout).</summary>
public class FilesystemParserTests
{
    [Test]
    public void Dumpe2fs_WhatMkfsNeeds()
    {
        var ext = Dumpe2fs.Parse("p2", Fixtures.Read("host-gpt-image", "dumpe2fs-p2.txt"));

        Assert.That((ext.BlockSize, ext.InodeSize, ext.InodeCount, ext.BlockCount), Is.EqualTo((1024, 256, (long?)8192, (long?)32768)));
        Assert.That(ext.Features, Is.EqualTo(new[]
        {
            "has_journal", "ext_attr", "resize_inode", "dir_index", "filetype", "extent", "64bit", "flex_bg",
            "sparse_super", "large_file", "huge_file", "dir_nlink", "extra_isize", "metadata_csum",
        }));
    }

    [Test]
    public void Dumpe2fs_OfAMountedFilesystem_DropsTheRuntimeFlag()
    {
        var text = Fixtures.Read("lvm", "dumpe2fs-vg0-root.txt");
        Assert.That(text, Does.Contain("needs_recovery"), "the lab's mounted ext4 is flagged needs_recovery");

        var ext = Dumpe2fs.Parse("/dev/mapper/vg0-root", text);

        Assert.That(ext.Features, Does.Contain("has_journal").And.Not.Contain("needs_recovery"));
    }

    [Test]
    public void Dumpe2fs_OfSomethingElse_IsRefused() =>
        Assert.That(() => Dumpe2fs.Parse("/dev/sdz", "dumpe2fs: Bad magic number in super-block while trying to open /dev/sdz\n"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("Block size"));

    [Test]
    public void XfsInfo_Geometry()
    {
        var xfs = XfsInfo.Parse("x.fs", Fixtures.Read("host-xfs", "xfs_info.txt"));

        Assert.That((xfs.BlockSize, xfs.SectorSize, xfs.InodeSize, xfs.AgCount), Is.EqualTo((4096, (int?)512, (int?)512, (int?)4)));
        Assert.That(xfs.Features, Is.EqualTo(new[] { "crc", "finobt", "sparse", "reflink", "bigtime", "inobtcount" }));
    }

    [Test]
    public void XfsInfo_OfARaid5_FromTheLab()
    {
        var xfs = XfsInfo.Parse("/mnt/bulk", Fixtures.Read("raid5", "xfs_info-mnt-bulk.txt"));

        Assert.That(xfs.BlockSize, Is.EqualTo(4096));
        Assert.That(xfs.Features, Does.Contain("crc"));
    }

    [Test]
    public void XfsInfo_WithoutADataSection_IsRefused() =>
        Assert.That(() => XfsInfo.Parse("/dev/sdz", "xfs_info: /dev/sdz contains a mounted filesystem\n"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("bsize"));

    [Test]
    public void BtrfsSubvolumeList_IdsParentsAndPaths()
    {
        var subvolumes = BtrfsSubvolumeList.Parse(Fixtures.Read("host-btrfs", "btrfs-subvolume-list.txt"));

        Assert.That(subvolumes.Take(3), Is.EqualTo(new[]
        {
            new BtrfsSubvolume(256, 5, "@"), new BtrfsSubvolume(257, 5, "@home"), new BtrfsSubvolume(258, 256, "@/var"),
        }));
    }

    [Test]
    public void BtrfsSubvolumeList_ThroughASubvolumeMount_GivesThePathsFromTheTopLevel()
    {
        var fromTop = BtrfsSubvolumeList.Parse(Fixtures.Read("host-btrfs", "btrfs-subvolume-list.txt"));
        var throughAt = BtrfsSubvolumeList.Parse(Fixtures.Read("host-btrfs", "btrfs-subvolume-list-at.txt"));

        Assert.That(throughAt.Select(v => v.Path), Is.Not.EqualTo(fromTop.Select(v => v.Path)), "btrfs prints paths below @ relative to it");
        Assert.That(BtrfsSubvolumeList.FromTopLevel(throughAt, "/@"), Is.EqualTo(fromTop));
        Assert.That(BtrfsSubvolumeList.FromTopLevel(fromTop, "/"), Is.EqualTo(fromTop));
    }

    [TestCase("btrfs-subvolume-get-default-at.txt", 256)]
    public void BtrfsSubvolumeGetDefault_TheId(string file, long id) =>
        Assert.That(BtrfsSubvolumeList.ParseDefault(Fixtures.Read("host-btrfs", file)), Is.EqualTo(id));

    [Test]
    public void BtrfsSubvolumeGetDefault_TheTopLevel_AndSomethingElseRefused()
    {
        Assert.That(BtrfsSubvolumeList.ParseDefault("ID 5 (FS_TREE)\n"), Is.EqualTo(5));
        Assert.That(() => BtrfsSubvolumeList.ParseDefault("ERROR: can't perform the search\n"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("get-default"));
    }

    [Test]
    public void BtrfsSubvolumeList_ALineOfSomethingElse_IsRefused() =>
        Assert.That(() => BtrfsSubvolumeList.Parse("ERROR: not a btrfs filesystem: /mnt\n"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("ERROR: not a btrfs filesystem"));

    [Test]
    public void ProcSwaps_SizesInBytes()
    {
        var swap = ProcSwaps.Parse(Fixtures.Read("nvme", "swaps.txt")).Single();

        Assert.That(swap, Is.EqualTo(new SwapInfo { Device = "/dev/nvme0n1p2", Kind = "partition", Size = 30716L * 1024, Priority = -2, Active = true }));
        Assert.That(ProcSwaps.Parse(Fixtures.Read("raid1", "swaps.txt")), Is.Empty);
    }

    [Test]
    public void ProcSwaps_ASwapFileWithASpaceInItsName()
    {
        var swap = ProcSwaps.Parse("Filename\tType\tSize\tUsed\tPriority\n/var/my\\040swap file\t1048572\t0\t-3\n").Single();

        Assert.That((swap.Device, swap.Kind, swap.Size, swap.Priority), Is.EqualTo(("/var/my swap", "file", (long?)1048572L * 1024, (int?)-3)));
    }

    [Test]
    public void Fstab_FieldsDefaultsAndEscapes()
    {
        const string text = """
            # /etc/fstab: static file system information.
            UUID=3f1fc43c-edc4-11f1-855d-197949e72834 /               ext4    errors=remount-ro 0       1
            UUID=B5B0-9885  /boot/efi       vfat    umask=0077      0       1

            /dev/vg0/data /srv/my\040data xfs defaults
            tmpfs /tmp tmpfs
            """;

        var entries = Fstab.Parse(text);

        Assert.That(entries, Is.EqualTo(new[]
        {
            new FstabEntry("UUID=3f1fc43c-edc4-11f1-855d-197949e72834", "/", "ext4", "errors=remount-ro", 0, 1),
            new FstabEntry("UUID=B5B0-9885", "/boot/efi", "vfat", "umask=0077", 0, 1),
            new FstabEntry("/dev/vg0/data", "/srv/my data", "xfs", "defaults", 0, 0),
            new FstabEntry("tmpfs", "/tmp", "tmpfs", "defaults", 0, 0),
        }));
    }

    [Test]
    public void Fstab_ALineWithTooFewFields_NamesIt() =>
        Assert.That(() => Fstab.Parse("# x\n/dev/sda1 /\n"), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("line 2"));
}
