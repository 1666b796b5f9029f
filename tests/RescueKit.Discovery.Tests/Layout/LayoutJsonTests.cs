using System.Text.Json.Nodes;
using RescueKit.Core;
using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Tests.Layout;

public class LayoutJsonTests
{
    internal static HostLayout Sample() => new()
    {
        ToolVersion = "0.1.0",
        CapturedAt = new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero),
        HostName = "web1",
        Disks =
        [
            new DiskInfo
            {
                Path = "/dev/sda", Size = 10737418240, Model = "QEMU HARDDISK", TableType = "gpt",
                TableId = "2E0D3A7C-5E3F-4B5A-9C1E-0123456789AB", FirstLba = 2048, LastLba = 20971486,
                Partitions =
                [
                    new PartitionInfo { Number = 1, Device = "/dev/sda1", Start = 2048, SizeSectors = 1048576,
                        Type = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", Uuid = "11111111-2222-3333-4444-555555555555", Name = "EFI" },
                    new PartitionInfo { Number = 2, Device = "/dev/sda2", Start = 1050624, SizeSectors = 19920863,
                        Type = "A19D880F-05FC-4D3B-A006-743F0F84911E", Attributes = "LegacyBIOSBootable" },
                ],
            },
        ],
        MdArrays = [new MdArray { Device = "/dev/md0", Level = "raid1", Metadata = "1.2", Uuid = "a:b:c:d", RaidDevices = 2,
            Members = [new MdMember("/dev/sda2", 0), new MdMember("/dev/sdb2", 1)], Spares = ["/dev/sdc2"] }],
        Lvm = new LvmLayout
        {
            PhysicalVolumes = [new LvmPhysicalVolume { Device = "/dev/md0", Uuid = "pv-uuid", VolumeGroup = "vg0", Size = 1 << 30 }],
            VolumeGroups = [new LvmVolumeGroup { Name = "vg0", Uuid = "vg-uuid", ExtentSize = 4194304,
                LogicalVolumes = [new LvmLogicalVolume { Name = "root", Uuid = "lv-uuid", Size = 1 << 29, SegmentType = "linear" }] }],
        },
        Filesystems =
        [
            new FilesystemInfo { Device = "/dev/vg0/root", Type = "ext4", Uuid = "fs-uuid", MountPoint = "/", MountOptions = "rw,relatime",
                Ext = new ExtFeatures { BlockSize = 4096, InodeSize = 256, Features = ["has_journal", "extent"] } },
            new FilesystemInfo { Device = "/dev/sda1", Type = "vfat", Uuid = "ABCD-1234", Vfat = new VfatFeatures { FatSize = 32, VolumeId = "abcd1234" } },
        ],
        Swaps = [new SwapInfo { Device = "/dev/sdb1", Size = 1 << 20, Active = true, Priority = -2 }],
        BootLoader = new BootLoaderInfo { Kind = BootLoaderInfo.Uefi, Esp = "/dev/sda1",
            EfiBootEntries = [new EfiBootEntry { Number = "0001", Label = "debian", Active = true, Kind = EfiBootEntry.HardDrive, LoaderPath = "\\EFI\\debian\\shimx64.efi" }] },
    };

    [Test]
    public void SerializeThenDeserialize_GivesTheSameLayout()
    {
        var layout = Sample();

        var text = LayoutJson.Serialize(layout);
        var back = LayoutJson.Deserialize(text);

        Assert.That(LayoutJson.Serialize(back), Is.EqualTo(text));
        Assert.That(back.Disks[0].Partitions[1].Attributes, Is.EqualTo("LegacyBIOSBootable"));
        Assert.That(back.MdArrays[0].Members[1], Is.EqualTo(new MdMember("/dev/sdb2", 1)));
        Assert.That(back.Lvm.VolumeGroups[0].LogicalVolumes[0].SegmentType, Is.EqualTo("linear"));
        Assert.That(back.CapturedAt, Is.EqualTo(layout.CapturedAt));
    }

    [Test]
    public void Serialize_IsCamelCaseIndented_AndLeavesNullsOut()
    {
        var text = LayoutJson.Serialize(Sample());
        var root = JsonNode.Parse(text)!.AsObject();

        Assert.That((int)root["formatVersion"]!, Is.EqualTo(1));
        Assert.That(text, Does.Contain("\n  \"disks\": ["));
        var esp = root["filesystems"]![1]!.AsObject();
        Assert.That(esp.ContainsKey("mountPoint"), Is.False, "an unmounted filesystem has no mountPoint field");
        Assert.That((int)esp["vfat"]!["fatSize"]!, Is.EqualTo(32));
        Assert.That((string)root["disks"]![0]!["partitions"]![0]!["type"]!, Is.EqualTo("C12A7328-F81F-11D2-BA4B-00A0C93EC93B"));
    }

    [TestCase("{ \"disks\": [", "not JSON")]
    [TestCase("[1, 2]", "no formatVersion")]
    [TestCase("{ \"formatVersion\": 2, \"toolVersion\": \"9\", \"capturedAt\": \"2026-01-01T00:00:00Z\" }", "use a newer rescuekit")]
    [TestCase("{ \"formatVersion\": \"one\" }", "not a whole number")]
    [TestCase("{ \"formatVersion\": 1, \"capturedAt\": \"2026-01-01T00:00:00Z\" }", "toolVersion")]
    [TestCase("{ \"formatVersion\": 1, \"toolVersion\": \"1\", \"capturedAt\": \"2026-01-01T00:00:00Z\", \"disks\": 5 }", "$.disks")]
    public void Deserialize_BadInput_SaysWhatIsWrong(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => LayoutJson.Deserialize(json));

        Assert.That(e!.Message, Does.Contain(expected));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Deserialize_ANullWhereAValueIsRequired_NamesItsPath()
    {
        var text = LayoutJson.Serialize(Sample()).Replace("\"device\": \"/dev/sda1\"", "\"device\": null");

        var e = Assert.Throws<InvalidDataException>(() => LayoutJson.Deserialize(text));

        Assert.That(e!.Message, Does.Contain("$.disks[0].partitions[0].device"));
    }

    [Test]
    public void Deserialize_FieldsLeftOut_TakeTheirDefaults()
    {
        var node = JsonNode.Parse(LayoutJson.Serialize(Sample()))!;
        var disk = node["disks"]![0]!.AsObject();
        Assert.That(disk.Remove("logicalSectorSize") && node["mdArrays"]![0]!.AsObject().Remove("spares") && node.AsObject().Remove("swaps"), Is.True);

        var layout = LayoutJson.Deserialize(node.ToJsonString());

        Assert.That(layout.Disks[0].LogicalSectorSize, Is.EqualTo(512));
        Assert.That(layout.MdArrays[0].Spares, Is.Not.Null.And.Empty);
        Assert.That(layout.Swaps, Is.Not.Null.And.Empty);
        Assert.That(layout.Fstab, Is.Not.Null.And.Empty);
    }

    [Test]
    public void Load_OfAFileThatIsNotALayout_IsBadInputNamingTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "hello");
            var e = Assert.Throws<BadInputException>(() => LayoutJson.Load(path));
            Assert.That(e!.Message, Does.Contain(path).And.Contain("not JSON"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
