using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;
using RescueKit.Host;
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
    public void XfsGeometryAndLuksHeadersInsideAnImageFile_AreReadThroughLoopDevices()
    {
        if (Environment.UserName != "root") Assert.Fail("this test needs root for losetup: run it as root");
        ExternalTool.Require("mkfs.xfs", "xfsprogs");
        ExternalTool.Require("cryptsetup", "cryptsetup-bin");
        var dir = Directory.CreateTempSubdirectory("rk-layout-xfs-luks-").FullName;
        try
        {
            // mkfs.xfs wants 300 MB at least; both filesystems are made in files of their own and copied in sparsely.
            const long xfsStart = 2048, xfsSectors = 320 << 11, luksStart = xfsStart + xfsSectors, luksSectors = 40 << 11;
            var image = Path.Combine(dir, "disk.img");
            using (var f = File.Create(image)) f.SetLength((luksStart + luksSectors + 2048) * 512);
            ExternalTool.RunOk("sfdisk", "fdisk", ["-q", image], stdinText:
                $"label: gpt\nstart={xfsStart}, size={xfsSectors}, type=linux\nstart={luksStart}, size={luksSectors}, type=linux\n");
            var xfs = Path.Combine(dir, "xfs.fs");
            var luks = Path.Combine(dir, "luks.fs");
            using (var f = File.Create(xfs)) f.SetLength(xfsSectors * 512);
            using (var f = File.Create(luks)) f.SetLength(luksSectors * 512);
            ExternalTool.RunOk("mkfs.xfs", "xfsprogs", ["-q", "-L", "data", xfs]);
            // xfs_db reads the superblock of the separate file: the oracle for what the capture must find in the image.
            var agcount = ExternalTool.RunOk("xfs_db", "xfsprogs", ["-r", "-c", "sb 0", "-c", "print agcount", xfs]).Trim();
            ExternalTool.RunOk("cryptsetup", "cryptsetup-bin", ["luksFormat", "--batch-mode", "--type", "luks2",
                "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", luks, "-"], stdinText: "test passphrase");
            var luksUuid = ExternalTool.RunOk("cryptsetup", "cryptsetup-bin", ["luksUUID", luks]).Trim();
            foreach (var (file, start) in new[] { (xfs, xfsStart), (luks, luksStart) })
                ExternalTool.RunOk("dd", "coreutils", [$"if={file}", $"of={image}", "bs=1M", "conv=sparse,notrunc", "oflag=seek_bytes", $"seek={start * 512}", "status=none"]);

            var layout = NewCapture().Capture(new LayoutCaptureOptions { Devices = [image] });

            var data = layout.Filesystems.Single(f => f.Type == "xfs");
            Assert.That(data.Device, Is.EqualTo(image + "1"));
            Assert.That(data.Xfs, Is.Not.Null, string.Join("; ", layout.Notes));
            Assert.That("agcount = " + data.Xfs!.AgCount, Is.EqualTo(agcount));
            Assert.That(data.Xfs.BlockSize, Is.EqualTo(4096));
            Assert.That(data.Xfs.Features, Does.Contain("crc"));
            var header = layout.Luks.Single();
            Assert.That((header.Device, header.Version, header.Uuid), Is.EqualTo((image + "2", 2, luksUuid)));
            Assert.That(layout.Notes, Has.None.Contains("xfs geometry").And.None.Contains("LUKS header"));
            Assert.That(ExternalTool.RunOk("losetup", "mount", ["--list", "--noheadings", "--output", "BACK-FILE"]), Does.Not.Contain(image),
                "the loop devices are detached again");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void ADeviceThatDoesNotExist_IsBadInput()
    {
        var e = Assert.Throws<BadInputException>(() =>
            NewCapture().Capture(new LayoutCaptureOptions { Devices = ["/nonexistent/disk.img"] }));

        Assert.That(e!.Message, Does.StartWith("device '/nonexistent/disk.img' does not exist"));
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
