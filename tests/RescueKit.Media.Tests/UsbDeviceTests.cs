using RescueKit.Core;
using RescueKit.Host;
using RescueKit.Media.Usb;

namespace RescueKit.Media.Tests;

/// <summary>The refusals of --device, on lsblk output of the shapes lsblk prints (util-linux 2.38) and on real non-disks.</summary>
public class UsbDeviceTests
{
    private static string Lsblk(string children, string mounts = "null", string type = "disk") =>
        "{\"blockdevices\": [{\"name\": \"sdb\", \"path\": \"/dev/sdb\", \"size\": 8004304896, \"type\": \"" + type + "\", " +
        "\"model\": \"Cruzer Blade    \", \"mountpoints\": [" + mounts + "]" + (children.Length > 0 ? ", \"children\": [" + children + "]" : "") + "}]}";

    private static string Part(string name, string mounts = "null", string children = "") =>
        "{\"name\": \"" + name + "\", \"path\": \"/dev/" + name + "\", \"size\": 1000000, \"type\": \"part\", \"model\": null, " +
        "\"mountpoints\": [" + mounts + "]" + (children.Length > 0 ? ", \"children\": [" + children + "]" : "") + "}";

    [Test]
    public void AnUnusedDisk_GivesItsSizeAndModel()
    {
        var (bytes, description) = UsbDevice.Check("/dev/sdb", Lsblk(Part("sdb1")));
        Assert.That(bytes, Is.EqualTo(8004304896));
        Assert.That(description, Is.EqualTo("/dev/sdb, 7.5 GiB, Cruzer Blade"));
    }

    [Test]
    public void AMountedPartition_IsRefused() =>
        Assert.That(Assert.Throws<BadInputException>(() => UsbDevice.Check("/dev/sdb", Lsblk(Part("sdb1", "\"/media/stick\""))))!.Message,
            Is.EqualTo("--device /dev/sdb is in use: /dev/sdb1 is mounted on /media/stick; unmount it (or swapoff) first, or give another disk"));

    [Test]
    public void ActiveSwap_IsRefused() =>
        Assert.That(Assert.Throws<BadInputException>(() => UsbDevice.Check("/dev/sdb", Lsblk(Part("sdb2", "\"[SWAP]\""))))!.Message,
            Does.Contain("/dev/sdb2 is active swap"));

    [Test]
    public void TheSystemDisk_IsRefused_AlsoWhenRootIsOnLvm()
    {
        var lv = "{\"name\": \"vg-root\", \"path\": \"/dev/mapper/vg-root\", \"size\": 5, \"type\": \"lvm\", \"mountpoints\": [\"/\"]}";
        var e = Assert.Throws<BadInputException>(() => UsbDevice.Check("/dev/sdb", Lsblk(Part("sdb1", "\"/boot/efi\"") + "," + Part("sdb2", "null", lv))))!;
        Assert.That(e.Message, Does.StartWith("--device /dev/sdb is the disk this host runs from"));
    }

    [Test]
    public void AnUnmountedRaidMember_IsRefused()
    {
        var md = "{\"name\": \"md0\", \"path\": \"/dev/md0\", \"size\": 5, \"type\": \"raid1\", \"mountpoints\": [null]}";
        Assert.That(Assert.Throws<BadInputException>(() => UsbDevice.Check("/dev/sdb", Lsblk(Part("sdb1", "null", md))))!.Message,
            Does.Contain("/dev/md0 (raid1) is built on it"));
    }

    [Test]
    public void APartition_IsRefused() =>
        Assert.That(Assert.Throws<BadInputException>(() => UsbDevice.Check("/dev/sdb1", Lsblk("", type: "part")))!.Message,
            Does.Contain("is a part, not a whole disk"));

    [TestCase("/dev/null", "a character device")]
    [TestCase("/etc/hostname", "a regular file")]
    [TestCase("/tmp", "a directory")]
    public void NotABlockDevice_IsRefused(string path, string kind)
    {
        var e = Assert.Throws<BadInputException>(() => UsbDevice.Inspect(new ToolRunner(Serilog.Core.Logger.None), path))!;
        Assert.That(e.Message, Does.Contain($"is not a block device ({kind})").And.Contain("--image FILE --size SIZE"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }

    [Test]
    public void AMissingPath_IsRefused() =>
        Assert.That(Assert.Throws<BadInputException>(() => UsbDevice.Inspect(new ToolRunner(Serilog.Core.Logger.None), "/dev/no-such-disk"))!.Message,
            Does.Contain("--device /dev/no-such-disk cannot be read"));
}
