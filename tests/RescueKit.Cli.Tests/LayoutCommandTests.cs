using System.Text.Json;
using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Tests.Layout;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>`rescuekit layout save|show|check` on a GPT image file made with sfdisk and mkfs, as a user runs them.</summary>
[Category("Integration")]
public class LayoutCommandTests
{
    private TestDiskImage _image = null!;
    private string _dir = null!;

    [SetUp]
    public void CreateImage()
    {
        ExternalTool.Require("sfdisk", "fdisk");
        _image = new TestDiskImage();
        _dir = Directory.CreateTempSubdirectory("rk-cli-layout-").FullName;
    }

    [TearDown]
    public void RemoveImage()
    {
        _image.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Saved()
    {
        var file = Path.Combine(_dir, "layout.json");
        var r = Rescuekit.Run("layout", "save", "--out", file, "--device", _image.Path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stdout, Does.Contain($"Layout saved: {file} (1 disk, 2 partitions, 2 filesystems)"));
        return file;
    }

    [Test]
    public void Save_WritesTheLayoutOfTheImage()
    {
        var file = Saved();

        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("formatVersion").GetInt32(), Is.EqualTo(1));
        var partitions = root.GetProperty("disks")[0].GetProperty("partitions");
        Assert.That(partitions.GetArrayLength(), Is.EqualTo(2));
        Assert.That(partitions[1].GetProperty("start").GetInt64(), Is.EqualTo(TestDiskImage.RootStart));
        // The UUID independently read back by blkid from the image at the partition's offset.
        var uuid = ExternalTool.RunOk("blkid", "util-linux",
            ["-p", "-s", "UUID", "-o", "value", "--offset", (TestDiskImage.RootStart * 512).ToString(), _image.Path]).Trim();
        Assert.That(root.GetProperty("filesystems")[1].GetProperty("uuid").GetString(), Is.EqualTo(uuid));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { file }), "no temporary file is left beside it");
    }

    [Test]
    public void SaveToStdout_PrintsOnlyTheJson()
    {
        var r = Rescuekit.Run("layout", "save", "--out", "-", "--device", _image.Path);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.That(doc.RootElement.GetProperty("scope")[0].GetString(), Is.EqualTo(_image.Path));
    }

    [Test]
    public void Show_PrintsTheMountlist()
    {
        var file = Saved();

        var r = Rescuekit.Run("layout", "show", file);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        var lines = r.Stdout.Split('\n');
        var esp = lines.Single(l => l.StartsWith(_image.Path + "1 "));
        Assert.That(esp, Does.Match($@"^{_image.Path}1\s+-\s+vfat\s+16 MiB\s+ESP / {TestDiskImage.EspUuid}\s*$"));
        var root = lines.Single(l => l.StartsWith(_image.Path + "2 "));
        Assert.That(root, Does.Match($@"\s+ext4\s+24 MiB\s+root / {TestDiskImage.RootUuid}"));
        Assert.That(r.Stdout, Does.Contain("Boot loader: UEFI, ESP " + _image.Path + "1"));
        Assert.That(r.Stdout, Does.Not.Contain("\u001b["), "plain text on a pipe: no escape sequences");
    }

    [Test]
    public void Check_OfAnUnchangedImage_Matches()
    {
        var file = Saved();

        var r = Rescuekit.Run("layout", "check", file);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("Layout matches " + file));
    }

    [Test]
    public void Check_AfterAPartitionWasAdded_ExitsOneAndNamesIt()
    {
        var file = Saved();
        _image.AddPartition();

        var r = Rescuekit.Run("layout", "check", file);

        Assert.That(r.ExitCode, Is.EqualTo(1), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("Layout drifted from " + file));
        Assert.That(r.Stdout, Does.Contain($"added disks[{_image.Path}].partitions[{_image.Path}3]"));
        Assert.That(r.Stdout, Does.Contain("\"name\":\"added\""));
    }

    [Test]
    public void Check_OfAFileThatIsNotJson_IsBadInput()
    {
        var file = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(file, "this is not a layout\n");

        BadInputTests.AssertOneLineError(Rescuekit.Run("layout", "check", file), ExitCodes.BadInput, file, "not JSON");
    }

    [Test]
    public void Show_OfALayoutWithANullDevice_IsBadInput()
    {
        var file = Path.Combine(_dir, "null.json");
        File.WriteAllText(file, "{\"formatVersion\": 1, \"toolVersion\": \"0.1.0\", \"capturedAt\": \"2026-01-01T00:00:00Z\", " +
                                "\"filesystems\": [{\"device\": null, \"type\": \"ext4\"}]}");

        BadInputTests.AssertOneLineError(Rescuekit.Run("layout", "show", file), ExitCodes.BadInput, file, "$.filesystems[0].device");
    }

    [Test]
    public void Show_OfAMissingFile_IsBadInput()
    {
        var file = Path.Combine(_dir, "none.json");

        BadInputTests.AssertOneLineError(Rescuekit.Run("layout", "show", file), ExitCodes.BadInput, file, "does not exist", "layout save");
    }

    [Test]
    public void Save_OfAMissingDevice_IsBadInput_AndWritesNothing()
    {
        var file = Path.Combine(_dir, "layout.json");

        BadInputTests.AssertOneLineError(Rescuekit.Run("layout", "save", "--out", file, "--device", "/dev/rk-no-such-disk"),
            ExitCodes.BadInput, "--device '/dev/rk-no-such-disk' does not exist");
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void Check_OfAMissingDevice_IsBadInput()
    {
        var file = Saved();

        BadInputTests.AssertOneLineError(Rescuekit.Run("layout", "check", file, "--device", Path.Combine(_dir, "gone.img")),
            ExitCodes.BadInput, "gone.img", "does not exist");
    }

    [Test]
    public void Save_ToAnUnwritablePlace_IsBadInput()
    {
        BadInputTests.AssertOneLineError(Rescuekit.Run("layout", "save", "--out", "/proc/rk-layout.json", "--device", _image.Path),
            ExitCodes.BadInput, "--out '/proc/rk-layout.json'");
    }

    [Test]
    public void Save_OverAnOldLayout_ReplacesItWhole()
    {
        var file = Path.Combine(_dir, "layout.json");
        File.WriteAllText(file, "old");

        var r = Rescuekit.Run("layout", "save", "--out", file, "--device", _image.Path);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.DoesNotThrow(() => JsonDocument.Parse(File.ReadAllText(file)).Dispose());
    }

    [Test]
    public void Show_OfAServerLayout_HasRaidLvmAndLuksSections()
    {
        // A machine shaped like the VM lab's configurations: RAID1 of two partitions, LVM on it, LUKS in an LV.
        var layout = new HostLayout
        {
            ToolVersion = "0.1.0",
            CapturedAt = DateTimeOffset.UnixEpoch,
            HostName = "db1",
            Disks =
            [
                new DiskInfo { Path = "/dev/sda", Size = 8L << 30, TableType = "gpt", Model = "QEMU HARDDISK", Partitions =
                    [new PartitionInfo { Number = 1, Device = "/dev/sda1", Start = 2048, SizeSectors = 16775168, Type = "A19D880F-05FC-4D3B-A006-743F0F84911E" }] },
                new DiskInfo { Path = "/dev/sdb", Size = 8L << 30, TableType = "gpt", Partitions =
                    [new PartitionInfo { Number = 1, Device = "/dev/sdb1", Start = 2048, SizeSectors = 16775168, Type = "A19D880F-05FC-4D3B-A006-743F0F84911E" }] },
            ],
            MdArrays = [new MdArray { Device = "/dev/md0", Level = "raid1", Uuid = "33f0b434:49165284:19889ad2:2ba9e57d", Name = "db1:0",
                RaidDevices = 2, Members = [new MdMember("/dev/sda1", 0), new MdMember("/dev/sdb1", 1)] }],
            Lvm = new LvmLayout
            {
                PhysicalVolumes = [new LvmPhysicalVolume { Device = "/dev/md0", Uuid = "xnKcG3-EBzr", VolumeGroup = "vg0", Size = 8L << 30 }],
                VolumeGroups = [new LvmVolumeGroup { Name = "vg0", Uuid = "vg", ExtentSize = 4 << 20, Size = 8L << 30, LogicalVolumes =
                [
                    new LvmLogicalVolume { Name = "root", Uuid = "a", Size = 2L << 30, SegmentType = "linear" },
                    new LvmLogicalVolume { Name = "data", Uuid = "b", Size = 4L << 30, SegmentType = "striped", Stripes = 2, StripeSize = 65536 },
                ] }],
            },
            Luks = [new LuksDevice { Device = "/dev/mapper/vg0-data", Version = 2, Uuid = "1243a55e", Cipher = "aes-xts-plain64", KeySize = 512, MappedName = "secure" }],
            Filesystems = [new FilesystemInfo { Device = "/dev/mapper/vg0-root", Type = "ext4", Uuid = "c8eecb7b", Label = "root", MountPoint = "/", Size = 2L << 30 }],
        };
        var file = Path.Combine(_dir, "db1.json");
        File.WriteAllText(file, LayoutJson.Serialize(layout));

        var r = Rescuekit.Run("layout", "show", file);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        var lines = r.Stdout.Split('\n');
        Assert.That(lines[0], Does.StartWith("Layout of db1, captured 1970-01-01 00:00:00 UTC"));
        Assert.That(lines, Has.One.Match(@"^/dev/mapper/vg0-root\s+/\s+ext4\s+2 GiB\s+root / c8eecb7b"));
        Assert.That(lines, Has.One.Match(@"^/dev/sdb1\s+raid\s+/dev/md0 raid1\s+8 GiB\s+db1:0"));
        Assert.That(lines, Has.One.Match(@"^/dev/md0\s+lvm\s+lvm pv vg0\s+8 GiB\s+xnKcG3-EBzr"));
        Assert.That(lines, Has.One.Match(@"^/dev/md0\s+raid1\s+/dev/sda1 /dev/sdb1\s+33f0b434:49165284:19889ad2:2ba9e57d"));
        Assert.That(lines, Has.One.Match(@"^vg0/data\s+striped\s+4 GiB\s+2 stripes of 64 KiB"));
        Assert.That(lines, Has.One.Match(@"^vg0\s+VG\s+8 GiB\s+extent 4 MiB, PVs /dev/md0"));
        Assert.That(lines, Has.One.Match(@"^/dev/mapper/vg0-data\s+LUKS2\s+aes-xts-plain64 512 bits\s+secure\s+1243a55e"));
        var order = new[] { "Mountlist:", "Disks:", "RAID:", "LVM:", "LUKS:" }.Select(t => Array.IndexOf(lines, t)).ToArray();
        Assert.That(order, Is.Ordered.And.All.GreaterThan(0));
        Assert.That(r.Stdout, Does.Contain("Boot loader: none found"));
    }
}
