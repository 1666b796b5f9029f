using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;

namespace RescueKit.Discovery.Tests.Layout;

/// <summary>The partition-table, block-device, RAID, LVM and LUKS parsers on real tool outputs (Fixtures/layout).</summary>
public class StorageParserTests
{
    [Test]
    public void Sfdisk_Gpt_NamesAttributesAndUuids()
    {
        var t = Sfdisk.Parse(Fixtures.Read("host-gpt-image", "sfdisk.json"));

        Assert.That((t.Label, t.Id, t.Device, t.SectorSize, t.FirstLba, t.LastLba),
            Is.EqualTo(("gpt", (string?)"737C9226-E5D4-5F41-BF9D-34A0665B286A", "disk.img", 512, (long?)2048, (long?)131038)));
        Assert.That(t.Partitions.Select(p => (p.Number, p.Device, p.Start, p.SizeSectors, p.Name, p.Attributes)), Is.EqualTo(new[]
        {
            (1, "disk.img1", 2048L, 32768L, (string?)"EFI System", (string?)null),
            (2, "disk.img2", 34816L, 65536L, "root", "LegacyBIOSBootable"),
            (3, "disk.img3", 100352L, 28672L, "swap", null),
        }));
        Assert.That(t.Partitions[1].Uuid, Is.EqualTo("9A1C3FDD-83B1-094F-BC15-9EC797689C1A"));
        Assert.That(t.Partitions.Select(p => (p.Role, p.Bootable)), Has.All.EqualTo(((string?)null, (bool?)null)), "MBR-only fields");
    }

    [Test]
    public void Sfdisk_Mbr_ExtendedAndLogicalPartitions()
    {
        var t = Sfdisk.Parse(Fixtures.Read("host-mbr-logical", "sfdisk.json"));

        Assert.That((t.Label, t.Id, t.FirstLba), Is.EqualTo(("dos", (string?)"0x5eed1234", (long?)null)));
        Assert.That(t.Partitions.Select(p => (p.Number, p.Type, p.Role, p.Bootable)), Is.EqualTo(new[]
        {
            (1, "83", (string?)"primary", (bool?)true), (2, "5", "extended", false), (5, "83", "logical", false), (6, "82", "logical", false),
        }));
    }

    [TestCase("/dev/nvme0n1p2", "/dev/nvme0n1", 2)]
    [TestCase("/dev/loop0p13", "/dev/loop0", 13)]
    [TestCase("/tmp/x/disk.img5", "/tmp/x/disk.img", 5)]
    [TestCase("/dev/sda1", "/dev/sda", 1)]
    public void Sfdisk_PartitionNumberFromTheNode(string node, string device, int number) =>
        Assert.That(Sfdisk.NumberOf(node, device), Is.EqualTo(number));

    [TestCase("{\"partitiontable\": {\"label\": \"gpt\", \"device\": \"/dev/sda\", \"partitions\": [{\"node\": \"/dev/sdb1\", \"start\": 1, \"size\": 2, \"type\": \"x\"}]}}", "/dev/sdb1")]
    [TestCase("{\"partitiontable\": {\"label\": \"gpt\", \"device\": \"/dev/sda\", \"partitions\": [{\"node\": \"/dev/sda1\", \"size\": 2, \"type\": \"x\"}]}}", "no start")]
    [TestCase("{\"nothing\": 1}", "partitiontable")]
    [TestCase("{\"partitiontable\": ", "not JSON")]
    public void Sfdisk_BadOutput_SaysWhatIsWrong(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Sfdisk.Parse(json));
        Assert.That(e!.Message, Does.Contain(expected).And.Contain("sfdisk"));
    }

    [Test]
    public void Lsblk_NestsHoldersUnderTheirDevices()
    {
        var devices = Lsblk.Parse(Fixtures.Read("lvm", "lsblk.json"));

        Assert.That(devices.Select(d => (d.Path, d.Type, d.Size)), Is.EqualTo(new[] { ("/dev/vda", "disk", 629145600L), ("/dev/vdb", "disk", 629145600L) }));
        var vda = devices[0].SelfAndDescendants().ToDictionary(d => d.Name);
        Assert.That(vda["vda1"].PartUuid, Is.EqualTo(Fixtures.Blkid("lvm", "/dev/vda1", "PARTUUID")));
        Assert.That((vda["vg0-root"].Path, vda["vg0-root"].Type, vda["vg0-root"].KName, vda["vg0-root"].MountPoints),
            Is.EqualTo(("/dev/mapper/vg0-root", "lvm", (string?)"dm-0", (IReadOnlyList<string>)["/mnt/root"])));
        Assert.That(vda["vg0-thin"].MajMin, Is.EqualTo("253:6"));
        Assert.That(vda["vda1"].MountPoints, Is.Empty, "lsblk's [null] means not mounted");
    }

    [Test]
    public void Lsblk_OfThisHost_Parses()
    {
        var json = RescueKit.Tests.Shared.ExternalTool.RunOk("lsblk", "util-linux", ["-J", "-b", "-O"]);

        var devices = Lsblk.Parse(json);

        Assert.That(devices, Is.Not.Empty);
        Assert.That(devices.SelectMany(d => d.SelfAndDescendants()), Has.All.Matches<LsblkDevice>(d => d.Path.StartsWith("/dev/") && d.Size >= 0));
    }

    [Test]
    public void Lsblk_WithoutBlockdevices_IsRefused() =>
        Assert.That(() => Lsblk.Parse("{\"devices\": []}"), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("blockdevices"));

    [Test]
    public void BlkidExport_BlocksPerDevice_EscapesUndone()
    {
        var probes = BlkidExport.Parse(Fixtures.Read("gpt-esp", "blkid.txt")).ToDictionary(p => p.DevName!);

        Assert.That(probes.Keys, Is.EquivalentTo(new[] { "/dev/vda1", "/dev/vda2", "/dev/vda3", "/dev/vda4" }));
        Assert.That(probes["/dev/vda2"]["PARTLABEL"], Is.EqualTo("EFI system partition"));
        Assert.That((probes["/dev/vda2"].Type, probes["/dev/vda2"].Label), Is.EqualTo(("vfat", "ESP")));
        Assert.That(probes["/dev/vda1"].Type, Is.Null, "the BIOS boot partition holds no signature");
    }

    [Test]
    public void BlkidExport_LowLevelProbe_HasVersionAndUsage()
    {
        var p = BlkidExport.Parse(Fixtures.Read("host-gpt-image", "blkid-p1.txt")).Single();

        Assert.That((p.Type, p.Uuid, p.Label, p["VERSION"], p.Usage), Is.EqualTo(("vfat", "A83C-2660", "ESP", "FAT16", "filesystem")));
    }

    [Test]
    public void BlkidExport_ALineWithoutEquals_IsRefused() =>
        Assert.That(() => BlkidExport.Parse("DEVNAME=/dev/sda\ngarbage\n"), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("'garbage'"));

    [Test]
    public void MdadmDetail_Raid5_MembersBySlotAndTheSpare()
    {
        var md = MdadmDetail.Parse("/dev/md0", Fixtures.Read("raid5", "mdadm-md0.txt"));

        Assert.That((md.Level, md.Metadata, md.Name, md.RaidDevices), Is.EqualTo(("raid5", (string?)"1.2", (string?)"rklab:bulk", 3)));
        Assert.That(md.Uuid.Replace(":", ""), Is.EqualTo(Fixtures.Blkid("raid5", "/dev/vda", "UUID").Replace("-", "")));
        Assert.That(md.Members.Select(m => (m.Slot, m.Device)), Is.EqualTo(new[] { (0, "/dev/vda"), (1, "/dev/vdb"), (2, "/dev/vdc") }));
        Assert.That(md.Spares, Is.EqualTo(new[] { "/dev/vdd" }));
    }

    [Test]
    public void MdadmDetail_WithoutALevel_IsRefused() =>
        Assert.That(() => MdadmDetail.Parse("/dev/md9", "MD_UUID=a:b:c:d\n"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("/dev/md9").And.Message.Contains("MD_LEVEL"));

    [Test]
    public void MdStat_ChunkAndAlgorithm()
    {
        var stat = MdStat.Parse(Fixtures.Read("raid5", "mdstat.txt"));

        Assert.That(stat["md0"], Is.EqualTo(new MdStatEntry("md0", 65536, "left-symmetric")));
        Assert.That(MdStat.Parse(Fixtures.Read("raid1", "mdstat.txt"))["md0"], Is.EqualTo(new MdStatEntry("md0", null, null)));
    }

    // The kernel's md status lines for raid0 and raid10 (drivers/md/raid0.c, raid10.c status()).
    [TestCase("md1 : active raid10 vdd[3] vdc[2] vdb[1] vda[0]\n      523264 blocks super 1.2 512K chunks 2 near-copies [4/4] [UUUU]\n", 524288L, "n2")]
    [TestCase("md1 : active raid10 vdb[1] vda[0]\n      523264 blocks super 1.2 512K chunks 2 far-copies [2/2] [UU]\n", 524288L, "f2")]
    [TestCase("md1 : active raid0 vdb[1] vda[0]\n      523264 blocks super 1.2 64k chunks\n", 65536L, null)]
    [TestCase("md1 : active (auto-read-only) raid6 vdd[3] vdc[2] vdb[1] vda[0]\n      1 blocks super 1.2 level 6, 128k chunk, algorithm 18 [4/4] [UUUU]\n", 131072L, "ddf-N-continue")]
    public void MdStat_OtherLevels(string text, long? chunk, string? layout) =>
        Assert.That(MdStat.Parse(text)["md1"], Is.EqualTo(new MdStatEntry("md1", chunk, layout)));

    [TestCase("raid10", 0x102, "n2")]
    [TestCase("raid10", 0x201, "f2")]
    [TestCase("raid10", 0x10201, "o2")]
    [TestCase("raid5", 0, "left-asymmetric")]
    [TestCase("raid1", 0, null)]
    public void MdLayoutNames(string level, int layout, string? name) =>
        Assert.That(MdadmDetail.LayoutName(level, layout), Is.EqualTo(name));

    [Test]
    public void LvmFullReport_PhysicalVolumesAndAVolumeGroupWithoutLvs()
    {
        var lvm = LvmFullReport.Parse(Fixtures.Read("host-lvm-pv", "lvm-fullreport.json"));

        Assert.That(lvm.PhysicalVolumes.Select(p => (p.Device, p.Uuid, p.VolumeGroup, p.Size)), Is.EqualTo(new[]
        {
            ("/dev/loop1", "NfO6vb-vS2h-tGnO-dB3y-HZLg-j3p3-d1owkA", (string?)"rkfix", 62914560L),
            ("/dev/loop2", "53I9Yx-iUNa-rfWG-KLy8-b8K6-ovet-IkBLd8", (string?)"rkfix", 62914560L),
        }));
        var vg = lvm.VolumeGroups.Single();
        Assert.That((vg.Name, vg.ExtentSize, vg.Size, vg.LogicalVolumes.Count), Is.EqualTo(("rkfix", 4194304L, 125829120L, 0)));
    }

    [Test]
    public void LvmFullReport_LeavesHiddenLvsOut()
    {
        const string json = """
            {"report": [{"vg": [{"vg_name": "vg", "vg_uuid": "u", "vg_extent_size": "4194304"}], "pv": [],
              "lv": [{"lv_name": "[pool_tdata]", "lv_uuid": "h", "lv_size": "1"}, {"lv_name": "pool", "lv_uuid": "p", "lv_size": "2"}],
              "seg": [{"lv_uuid": "p", "segtype": "thin-pool", "stripes": "1", "stripe_size": "0", "seg_start": "0"}]}]}
            """;

        var lv = LvmFullReport.Parse(json).VolumeGroups.Single().LogicalVolumes.Single();

        Assert.That((lv.Name, lv.SegmentType, lv.StripeSize), Is.EqualTo(("pool", "thin-pool", (long?)null)));
    }

    [Test]
    public void LvmFullReport_AVgWithoutExtentSize_IsRefused() =>
        Assert.That(() => LvmFullReport.Parse("{\"report\": [{\"vg\": [{\"vg_name\": \"vg\", \"vg_uuid\": \"u\"}]}]}"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("vg_extent_size"));

    [Test]
    public void LuksDump_Luks1()
    {
        var l = LuksDump.Parse("/dev/x", Fixtures.Read("host-luks", "luksDump-luks1.txt"));

        Assert.That(l, Is.EqualTo(new LuksDevice
        {
            Device = "/dev/x", Version = 1, Uuid = "327125a1-71b9-4e8c-9f7e-cb59826182df", Cipher = "aes-xts-plain64", KeySize = 512, Hash = "sha256",
        }));
    }

    [Test]
    public void LuksDump_Luks2_FromTheHostAndFromTheLab()
    {
        var host = LuksDump.Parse("/dev/x", Fixtures.Read("host-luks", "luksDump-luks2.txt"));
        var lab = LuksDump.Parse("/dev/vda1", Fixtures.Read("luks2", "luksdump-vda1.txt"));

        Assert.That(host, Is.EqualTo(new LuksDevice
        {
            Device = "/dev/x", Version = 2, Uuid = "1072bdae-ce02-4729-9689-1420f295badf", Label = "secret",
            Cipher = "aes-xts-plain64", KeySize = 512, Hash = "sha256", SectorSize = 4096,
        }));
        Assert.That((lab.Version, lab.Label, lab.Cipher, lab.Uuid), Is.EqualTo((2, (string?)"secure", "aes-xts-plain64", Fixtures.Blkid("luks2", "/dev/vda1", "UUID"))));
    }

    [Test]
    public void LuksDump_OfSomethingElse_IsRefused() =>
        Assert.That(() => LuksDump.Parse("/dev/sda1", "Device /dev/sda1 is not a valid LUKS device.\n"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no Version"));
}
