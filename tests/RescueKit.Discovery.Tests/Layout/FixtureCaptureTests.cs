using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;

namespace RescueKit.Discovery.Tests.Layout;

/// <summary>
/// Whole-host layout capture of the VM lab's configurations, replayed from the real tool outputs recorded there
/// (Fixtures/layout/CONFIG/commands.txt). Expected values are those in the fixture files and in how.txt.
/// </summary>
public class FixtureCaptureTests
{
    private static (HostLayout Layout, FixtureMachine Machine) Capture(string configuration, params string[] uninstalled)
    {
        var machine = new FixtureMachine(configuration, uninstalled);
        var layout = new LayoutCapture(machine, Serilog.Core.Logger.None, machine).Capture(new LayoutCaptureOptions { ToolVersion = "test" });
        return (layout, machine);
    }

    private static FilesystemInfo Fs(HostLayout layout, string device) => layout.Filesystems.Single(f => f.Device == device);

    /// <summary>blkid prints an md member's array UUID as a GUID; mdadm as four colon-separated groups.</summary>
    private static string Hex(string uuid) => uuid.Replace("-", "").Replace(":", "").ToLowerInvariant();

    [Test]
    public void GptWithEsp_BiosBootPartition_Ext4RootAndSwap()
    {
        var (layout, _) = Capture("gpt-esp");

        var disk = layout.Disks.Single();
        Assert.That((disk.Path, disk.Size, disk.TableType, disk.FirstLba, disk.LastLba),
            Is.EqualTo(("/dev/vda", 268435456L, "gpt", (long?)2048, (long?)524254)));
        Assert.That(disk.TableId, Does.Match("^[0-9A-F-]{36}$"));
        Assert.That(disk.Partitions.Select(p => (p.Device, p.Start, p.SizeSectors, p.Name)), Is.EqualTo(new[]
        {
            ("/dev/vda1", 2048L, 2048L, (string?)"BIOS boot"),
            ("/dev/vda2", 4096L, 131072L, (string?)"EFI system partition"),
            ("/dev/vda3", 135168L, 262144L, (string?)"root"),
            ("/dev/vda4", 397312L, 124928L, (string?)"swap"),
        }));
        Assert.That(disk.Partitions[2].Uuid, Is.EqualTo(Fixtures.Blkid("gpt-esp", "/dev/vda3", "PARTUUID")).IgnoreCase);
        Assert.That(disk.Partitions[2].Type, Is.EqualTo("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709"));

        var esp = Fs(layout, "/dev/vda2");
        var espUuid = Fixtures.Blkid("gpt-esp", "/dev/vda2", "UUID");
        Assert.That((esp.Type, esp.Uuid, esp.Label, esp.MountPoint), Is.EqualTo(("vfat", (string?)espUuid, (string?)"ESP", (string?)"/mnt/root/boot/efi")));
        Assert.That(esp.MountOptions, Does.Contain("fmask=0077"));
        Assert.That(esp.Vfat!.VolumeId, Is.EqualTo(espUuid.Replace("-", "")));
        var root = Fs(layout, "/dev/vda3");
        Assert.That((root.Uuid, root.Label, root.MountPoint), Is.EqualTo(((string?)Fixtures.Blkid("gpt-esp", "/dev/vda3", "UUID"), (string?)"root", (string?)"/mnt/root")));
        Assert.That(root.Ext!.BlockSize, Is.EqualTo(1024));
        Assert.That(layout.Filesystems.Select(f => f.Device), Is.EqualTo(new[] { "/dev/vda2", "/dev/vda3" }), "BIOS boot and swap hold no filesystem");

        var swap = layout.Swaps.Single();
        Assert.That((swap.Device, swap.Uuid, swap.Label, swap.Active, swap.Priority),
            Is.EqualTo(("/dev/vda4", (string?)Fixtures.Blkid("gpt-esp", "/dev/vda4", "UUID"), (string?)"swap", true, (int?)-2)));
        Assert.That(layout.BootLoader!.Kind, Is.EqualTo(BootLoaderInfo.Uefi), "an ESP and no GRUB boot sector");
        Assert.That(layout.BootLoader.Esp, Is.EqualTo("/dev/vda2"));
    }

    [Test]
    public void EmptyFloppyAndCdDrives_AreNotDisksOfTheLayout()
    {
        // gpt-esp as QEMU's pc machine shows it: an empty floppy drive (fd0) and an empty CD drive (sr0) beside vda.
        var machine = new FixtureMachine("gpt-esp").Answer("lsblk -J -b -O", "lsblk-empty-drives.json");
        var layout = new LayoutCapture(machine, Serilog.Core.Logger.None, machine).Capture(new LayoutCaptureOptions { ToolVersion = "test" });

        Assert.That(layout.Disks.Select(d => d.Path), Is.EqualTo(new[] { "/dev/vda" }));
        Assert.That(machine.Ran, Has.None.Contains("/dev/fd0").And.None.Contains("/dev/sr0"), "nothing probes an empty drive");
        Assert.That(layout.Notes, Is.Empty);
    }

    [Test]
    public void Uefi_EspMountedAtBootEfi_AndTheNvramEntriesThatBootFromIt()
    {
        var (layout, machine) = Capture("uefi");

        var disk = layout.Disks.Single();
        Assert.That(disk.Partitions.Select(p => (p.Device, p.Start, p.SizeSectors, p.Type)), Is.EqualTo(new[]
        {
            ("/dev/vda1", 2048L, 131072L, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"),
            ("/dev/vda2", 133120L, 389120L, "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709"),
        }));
        Assert.That(layout.Filesystems.Select(f => (f.Device, f.Type, f.Uuid, f.MountPoint)), Is.EqualTo(new[]
        {
            ("/dev/vda1", "vfat", (string?)Fixtures.Blkid("uefi", "/dev/vda1", "UUID"), (string?)"/boot/efi"),
            ("/dev/vda2", "ext4", Fixtures.Blkid("uefi", "/dev/vda2", "UUID"), "/mnt/root"),
        }));

        var boot = layout.BootLoader!;
        Assert.That(machine.Ran, Does.Contain("efibootmgr -v"), "/sys/firmware/efi exists: the NVRAM is read");
        Assert.That((boot.Kind, boot.Esp, boot.BootCurrent, boot.Timeout), Is.EqualTo((BootLoaderInfo.Uefi, (string?)"/dev/vda1", (string?)"0010", (int?)0)));
        Assert.That(boot.BootOrder, Is.EqualTo(new[] { "0001", "0000", "0010", "0002", "0003" }));
        Assert.That(boot.EfiBootEntries.Select(e => e.Number), Is.EqualTo(new[] { "0000", "0001", "0002", "0003", "0010", "0011" }));
        var current = boot.EfiBootEntries.Single(e => e.Number == boot.BootCurrent);
        Assert.That(current.PartitionUuid, Is.EqualTo(disk.Partitions[0].Uuid).IgnoreCase, "the entry this machine booted from lives on the captured ESP");
        Assert.That((current.PartitionStart, current.PartitionSize), Is.EqualTo(((long?)disk.Partitions[0].Start, (long?)disk.Partitions[0].SizeSectors)));
        Assert.That(boot.EfiBootEntries.Where(e => e.Kind == EfiBootEntry.HardDrive).Select(e => e.PartitionUuid), Has.All.EqualTo(current.PartitionUuid));
    }

    [Test]
    public void Raid1_OfTwoGptPartitions()
    {
        var (layout, machine) = Capture("raid1");

        Assert.That(layout.Disks.Select(d => d.Path), Is.EqualTo(new[] { "/dev/vda", "/dev/vdb" }));
        var md = layout.MdArrays.Single();
        Assert.That((md.Device, md.Level, md.Metadata, md.Name, md.RaidDevices, md.ChunkSize, md.Layout),
            Is.EqualTo(("/dev/md0", "raid1", (string?)"1.2", (string?)"rklab:data", 2, (long?)null, (string?)null)));
        Assert.That(Hex(md.Uuid), Is.EqualTo(Hex(Fixtures.Blkid("raid1", "/dev/vda1", "UUID"))));
        Assert.That(md.Members, Is.EqualTo(new[] { new MdMember("/dev/vda1", 0), new MdMember("/dev/vdb1", 1) }));
        Assert.That(md.Spares, Is.Empty);
        Assert.That(md.Size, Is.EqualTo(131072000), "lsblk's size of md0");
        var fs = layout.Filesystems.Single();
        Assert.That((fs.Device, fs.Type, fs.Uuid, fs.Label, fs.MountPoint),
            Is.EqualTo(("/dev/md0", "ext4", (string?)Fixtures.Blkid("raid1", "/dev/md0", "UUID"), (string?)"data", (string?)"/mnt/data")));
        Assert.That(machine.Ran.Count(c => c == "mdadm --detail --export /dev/md0"), Is.EqualTo(1), "md0 sits under both disks; asked once");
        Assert.That(layout.Disks[1].Partitions.Single().Uuid, Is.EqualTo(Fixtures.Blkid("raid1", "/dev/vdb1", "PARTUUID")).IgnoreCase);
    }

    [Test]
    public void Raid5_OfWholeDisks_WithASpare_ChunkAndLayoutFromMdstat()
    {
        var (layout, _) = Capture("raid5");

        Assert.That(layout.Disks.Select(d => (d.Path, d.TableType)), Is.EqualTo(new[]
        {
            ("/dev/vda", (string?)null), ("/dev/vdb", null), ("/dev/vdc", null), ("/dev/vdd", null),
        }));
        var md = layout.MdArrays.Single();
        Assert.That((md.Level, md.Name, md.RaidDevices, md.ChunkSize, md.Layout),
            Is.EqualTo(("raid5", (string?)"rklab:bulk", 3, (long?)65536, (string?)"left-symmetric")));
        Assert.That(Hex(md.Uuid), Is.EqualTo(Hex(Fixtures.Blkid("raid5", "/dev/vdd", "UUID"))));
        Assert.That(md.Members, Is.EqualTo(new[] { new MdMember("/dev/vda", 0), new MdMember("/dev/vdb", 1), new MdMember("/dev/vdc", 2) }));
        Assert.That(md.Spares, Is.EqualTo(new[] { "/dev/vdd" }));
        var fs = layout.Filesystems.Single();
        Assert.That((fs.Device, fs.Type, fs.Uuid, fs.MountPoint), Is.EqualTo(("/dev/md0", "xfs", (string?)Fixtures.Blkid("raid5", "/dev/md0", "UUID"), (string?)"/mnt/bulk")));
        Assert.That(fs.Xfs, Is.Not.Null);
        Assert.That(fs.MountOptions, Is.EqualTo("rw,relatime,attr2,inode64,logbufs=8,logbsize=32k,noquota"));
    }

    [Test]
    public void Lvm_LinearStripedThinPoolAndThin()
    {
        var (layout, _) = Capture("lvm");

        Assert.That(layout.Lvm.PhysicalVolumes.Select(p => (p.Device, p.Uuid, p.VolumeGroup)), Is.EquivalentTo(new[]
        {
            ("/dev/vda1", Fixtures.Blkid("lvm", "/dev/vda1", "UUID"), (string?)"vg0"),
            ("/dev/vdb1", Fixtures.Blkid("lvm", "/dev/vdb1", "UUID"), (string?)"vg0"),
        }));
        var vg = layout.Lvm.VolumeGroups.Single();
        Assert.That((vg.Name, vg.ExtentSize), Is.EqualTo(("vg0", 4194304L)));
        var lvs = vg.LogicalVolumes.ToDictionary(l => l.Name);
        Assert.That(lvs.Keys, Is.EquivalentTo(new[] { "root", "data", "pool", "thin" }));
        Assert.That((lvs["root"].SegmentType, lvs["root"].Size, lvs["root"].Path), Is.EqualTo(("linear", 67108864L, (string?)"/dev/vg0/root")));
        Assert.That((lvs["data"].SegmentType, lvs["data"].Stripes, lvs["data"].StripeSize, lvs["data"].Size),
            Is.EqualTo(("striped", 2, (long?)65536, 335544320L)));
        Assert.That((lvs["pool"].SegmentType, lvs["pool"].Size), Is.EqualTo(("thin-pool", 134217728L)));
        Assert.That((lvs["thin"].SegmentType, lvs["thin"].Pool, lvs["thin"].Size), Is.EqualTo(("thin", (string?)"pool", 268435456L)));

        Assert.That(layout.Filesystems.Select(f => (f.Device, f.Type, f.MountPoint)), Is.EquivalentTo(new[]
        {
            ("/dev/mapper/vg0-root", "ext4", (string?)"/mnt/root"),
            ("/dev/mapper/vg0-data", "xfs", (string?)"/mnt/data"),
            ("/dev/mapper/vg0-thin", "ext4", (string?)"/mnt/thin"),
        }));
        Assert.That(Fs(layout, "/dev/mapper/vg0-thin").Uuid, Is.EqualTo(Fixtures.Blkid("lvm", "/dev/mapper/vg0-thin", "UUID")));
    }

    [Test]
    public void Luks2_OpenAsSecure_WithExt4Inside()
    {
        var (layout, _) = Capture("luks2");

        var luks = layout.Luks.Single();
        Assert.That((luks.Device, luks.Version, luks.Uuid, luks.Label, luks.MappedName),
            Is.EqualTo(("/dev/vda1", 2, Fixtures.Blkid("luks2", "/dev/vda1", "UUID"), (string?)"secure", (string?)"secure")));
        Assert.That(luks.Cipher, Is.EqualTo("aes-xts-plain64"));
        Assert.That(luks.KeySize, Is.EqualTo(512));
        var fs = layout.Filesystems.Single();
        Assert.That((fs.Device, fs.Uuid, fs.MountPoint), Is.EqualTo(("/dev/mapper/secure", (string?)Fixtures.Blkid("luks2", "/dev/mapper/secure", "UUID"), (string?)"/mnt/secure")));
    }

    [Test]
    public void Btrfs_WithSubvolumesMountedBySubvol()
    {
        var (layout, _) = Capture("btrfs");

        var fs = layout.Filesystems.Single();
        Assert.That((fs.Device, fs.Type, fs.Uuid, fs.Label, fs.MountPoint),
            Is.EqualTo(("/dev/vda1", "btrfs", (string?)Fixtures.Blkid("btrfs", "/dev/vda1", "UUID"), (string?)"system", (string?)"/mnt/root")));
        Assert.That(fs.MountOptions, Does.Contain("subvol=/@"));
        // Listed through the subvol=@ mount, btrfs prints the subvolumes below @ relative to it ("var"): the layout
        // has every path from the top level.
        Assert.That(fs.Btrfs!.Subvolumes, Is.EqualTo(new[]
        {
            new BtrfsSubvolume(256, 5, "@", "/mnt/root"),
            new BtrfsSubvolume(257, 5, "@home", "/mnt/root/home"),
            new BtrfsSubvolume(258, 256, "@/var"),
            new BtrfsSubvolume(259, 258, "@/var/lib/machines"),
            new BtrfsSubvolume(260, 5, "@snapshots"),
            new BtrfsSubvolume(261, 260, "@snapshots/1/snapshot", ReadOnly: true),
        }));
        Assert.That(fs.Btrfs.DefaultSubvolume, Is.EqualTo("@"));
    }

    [Test]
    public void MbrWithLogicalPartitions()
    {
        var (layout, _) = Capture("mbr-logical");

        var disk = layout.Disks.Single();
        Assert.That(disk.TableType, Is.EqualTo("dos"));
        // An MBR PARTUUID is the disk id and the partition number.
        Assert.That(Fixtures.Blkid("mbr-logical", "/dev/vda6", "PARTUUID"), Is.EqualTo(disk.TableId![2..] + "-06"));
        Assert.That(disk.Partitions.Select(p => (p.Number, p.Role, p.Type, p.Bootable)), Is.EqualTo(new[]
        {
            (1, (string?)"primary", "83", (bool?)true), (2, "primary", "83", false), (3, "extended", "5", false),
            (5, "logical", "c", false), (6, "logical", "83", false), (7, "logical", "82", false),
        }));
        Assert.That(layout.Filesystems.Select(f => (f.Device, f.Type, f.MountPoint)), Is.EqualTo(new[]
        {
            ("/dev/vda1", "ext2", (string?)"/mnt/root/boot"),
            ("/dev/vda2", "ext4", (string?)"/mnt/root"),
            ("/dev/vda5", "vfat", (string?)"/mnt/root/srv/shared"),
            ("/dev/vda6", "ext4", (string?)"/mnt/root/home"),
        }));
        Assert.That(layout.Swaps.Single().Device, Is.EqualTo("/dev/vda7"));
        Assert.That(layout.Swaps.Single().Size, Is.EqualTo(79691776));
    }

    [Test]
    public void Nvme_NamesPartitionsWithP()
    {
        var (layout, _) = Capture("nvme");

        var disk = layout.Disks.Single();
        Assert.That((disk.Path, disk.Model, disk.Serial, disk.Transport), Is.EqualTo(("/dev/nvme0n1", (string?)"QEMU NVMe Ctrl", (string?)"rklab0", (string?)"nvme")));
        Assert.That(disk.Partitions.Select(p => (p.Number, p.Device)), Is.EqualTo(new[] { (1, "/dev/nvme0n1p1"), (2, "/dev/nvme0n1p2") }));
        Assert.That(Fs(layout, "/dev/nvme0n1p1").Uuid, Is.EqualTo(Fixtures.Blkid("nvme", "/dev/nvme0n1p1", "UUID")));
        Assert.That(layout.Swaps.Single().Active, Is.True);
    }

    [Test]
    public void WithoutMdadmOrDumpe2fs_TheRestIsCaptured_AndNotesSayWhatIsMissing()
    {
        var (layout, _) = Capture("raid1", "mdadm", "dumpe2fs");

        Assert.That(layout.MdArrays, Is.Empty);
        Assert.That(layout.Notes, Does.Contain("mdadm is not installed (apt-get install mdadm): the md array /dev/md0 not captured"));
        Assert.That(layout.Notes, Does.Contain("dumpe2fs is not installed (apt-get install e2fsprogs): the ext features of /dev/md0 not captured"));
        var fs = layout.Filesystems.Single();
        Assert.That((fs.Device, fs.Type, fs.Ext), Is.EqualTo(("/dev/md0", "ext4", (ExtFeatures?)null)));
        Assert.That(layout.Disks, Has.Count.EqualTo(2));
    }

    [TestCase("lsblk", "util-linux")]
    [TestCase("sfdisk", "fdisk")]
    [TestCase("blkid", "util-linux")]
    public void WithoutARequiredTool_CaptureNamesItsPackage(string tool, string package)
    {
        var machine = new FixtureMachine("gpt-esp", tool);

        var e = Assert.Throws<RescueKit.Core.MissingPrerequisiteException>(() =>
            new LayoutCapture(machine, Serilog.Core.Logger.None, machine).Capture(new LayoutCaptureOptions()));

        Assert.That(e!.Message, Does.Contain($"'{tool}'").And.Contain($"apt-get install {package}"));
        Assert.That(machine.Ran, Is.Empty, "nothing runs before the prerequisites are checked");
    }
}
