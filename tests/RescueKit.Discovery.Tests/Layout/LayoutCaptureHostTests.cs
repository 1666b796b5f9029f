using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;
using RescueKit.Tests.Layout;
using RescueKit.Tests.Shared;
using Serilog;

namespace RescueKit.Discovery.Tests.Layout;

/// <summary>Layout capture of real image files and loop devices made with sfdisk and mkfs on this host.</summary>
[Category("Integration")]
public class LayoutCaptureHostTests
{
    private static LayoutCapture NewCapture() => new(new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None);

    private static void AssertImageLayout(HostLayout layout, string disk, string partitionPrefix)
    {
        Assert.That(layout.Disks, Has.Count.EqualTo(1));
        var d = layout.Disks[0];
        Assert.That(d.Path, Is.EqualTo(disk));
        Assert.That(d.Size, Is.EqualTo(48L << 20));
        Assert.That(d.TableType, Is.EqualTo("gpt"));
        Assert.That(d.TableId, Is.EqualTo(TestDiskImage.DiskGuid));
        Assert.That(d.Partitions.Select(p => (p.Number, p.Device, p.Start, p.SizeSectors, p.Name)), Is.EqualTo(new[]
        {
            (1, partitionPrefix + "1", TestDiskImage.EspStart, TestDiskImage.EspSectors, (string?)"ESP"),
            (2, partitionPrefix + "2", TestDiskImage.RootStart, TestDiskImage.RootSectors, (string?)"root"),
        }));
        Assert.That(d.Partitions[0].Type, Is.EqualTo("C12A7328-F81F-11D2-BA4B-00A0C93EC93B"));

        Assert.That(layout.Filesystems.Select(f => (f.Device, f.Type, f.Uuid, f.Label)), Is.EqualTo(new[]
        {
            (partitionPrefix + "1", "vfat", (string?)TestDiskImage.EspUuid, (string?)"ESP"),
            (partitionPrefix + "2", "ext4", (string?)TestDiskImage.RootUuid, (string?)"root"),
        }));
        var esp = layout.Filesystems[0];
        Assert.That(esp.Vfat, Is.EqualTo(new VfatFeatures { FatSize = 16, VolumeId = TestDiskImage.EspVolumeId }));
        Assert.That(esp.MountPoint, Is.Null);
        var root = layout.Filesystems[1];
        Assert.That(root.Size, Is.EqualTo(TestDiskImage.RootSectors * 512));
        Assert.That(root.Ext, Is.Not.Null);
        Assert.That(root.Ext!.Features, Does.Contain("has_journal").And.Contain("extent"));
        Assert.That(root.Ext.BlockCount * root.Ext.BlockSize, Is.EqualTo(TestDiskImage.RootSectors * 512));

        Assert.That(layout.BootLoader, Is.EqualTo(new BootLoaderInfo { Kind = BootLoaderInfo.Uefi, Esp = partitionPrefix + "1" })
            .Using<BootLoaderInfo>((a, b) => a.Kind == b.Kind && a.Esp == b.Esp && a.EfiBootEntries.Count == 0));
        Assert.That(layout.HostName, Is.Null, "an image is not this host");
        Assert.That(layout.Scope, Is.EqualTo(new[] { disk }));
    }

    [Test]
    public void AnImageFile_IsCapturedAsIfItWereAMachine()
    {
        ExternalTool.Require("sfdisk", "fdisk");
        using var image = new TestDiskImage();

        var layout = NewCapture().Capture(new LayoutCaptureOptions { Devices = [image.Path] });

        AssertImageLayout(layout, image.Path, image.Path);
        Assert.That(layout.Disks[0].Model, Is.Null);
    }

    [Test]
    public void ALoopDeviceWithoutPartitionNodes_IsReadThroughOffsets()
    {
        if (Environment.UserName != "root") Assert.Fail("this test needs root for losetup: run it as root");
        using var image = new TestDiskImage();
        var loop = ExternalTool.RunOk("losetup", "mount", ["--find", "--show", "--read-only", image.Path]).Trim();
        try
        {
            var layout = NewCapture().Capture(new LayoutCaptureOptions { Devices = [loop] });

            // sfdisk names the partitions loopNp1, p2 after the disk, whether or not the kernel made the nodes.
            AssertImageLayout(layout, loop, loop + "p");
        }
        finally
        {
            ExternalTool.RunOk("losetup", "mount", ["--detach", loop]);
        }
    }

    [Test]
    public void ADeviceThatDoesNotExist_IsBadInput()
    {
        var e = Assert.Throws<BadInputException>(() =>
            NewCapture().Capture(new LayoutCaptureOptions { Devices = ["/nonexistent/disk.img"] }));

        Assert.That(e!.Message, Does.Contain("--device '/nonexistent/disk.img' does not exist"));
    }

    [Test]
    public void AFileWithoutAPartitionTable_IsAWholeDiskFilesystem()
    {
        var dir = Directory.CreateTempSubdirectory("rk-layout-fs-").FullName;
        try
        {
            var file = Path.Combine(dir, "fs.img");
            using (var f = File.Create(file)) f.SetLength(16 << 20);
            ExternalTool.RunOk("mkfs.ext4", "e2fsprogs", ["-q", "-L", "whole", file]);
            var uuid = ExternalTool.RunOk("blkid", "util-linux", ["-p", "-s", "UUID", "-o", "value", file]).Trim();

            var layout = NewCapture().Capture(new LayoutCaptureOptions { Devices = [file] });

            Assert.That(layout.Disks.Single().TableType, Is.Null);
            Assert.That(layout.Disks.Single().Partitions, Is.Empty);
            var fs = layout.Filesystems.Single();
            Assert.That((fs.Device, fs.Type, fs.Uuid, fs.Label), Is.EqualTo((file, "ext4", uuid, "whole")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
