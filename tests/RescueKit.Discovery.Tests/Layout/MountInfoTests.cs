using RescueKit.Discovery.Layout;

namespace RescueKit.Discovery.Tests.Layout;

public class MountInfoTests
{
    // The shape of a Debian host's /proc/self/mountinfo: optional fields, none, several, and an escaped mount point.
    private const string Sample =
        "22 27 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n" +
        "27 1 254:2 / / rw,relatime shared:1 - ext4 /dev/mapper/vg0-root rw,errors=remount-ro\n" +
        "30 27 8:1 / /boot/efi rw,relatime shared:30 master:2 - vfat /dev/sda1 rw,fmask=0077,dmask=0077,codepage=437\n" +
        "41 27 0:38 /@home /home rw,noatime - btrfs /dev/md127 rw,space_cache=v2,subvolid=257,subvol=/@home\n" +
        "52 27 7:0 / /mnt/my\\040disk\\011x rw,relatime - ext4 /dev/loop0 rw\n";

    [Test]
    public void Parse_ReadsEveryField()
    {
        var entries = MountInfo.Parse(Sample);

        Assert.That(entries, Has.Count.EqualTo(5));
        var efi = entries[2];
        Assert.That(efi, Is.EqualTo(efi with { MountId = 30, ParentId = 27, Major = 8, Minor = 1, Root = "/", MountPoint = "/boot/efi",
            MountOptions = "rw,relatime", FsType = "vfat", Source = "/dev/sda1", SuperOptions = "rw,fmask=0077,dmask=0077,codepage=437" }));
        Assert.That(efi.OptionalFields, Is.EqualTo(new[] { "shared:30", "master:2" }));
        Assert.That(entries[3].Root, Is.EqualTo("/@home"));
        Assert.That(entries[3].OptionalFields, Is.Empty);
        Assert.That(entries[1].Major, Is.EqualTo(254));
    }

    [Test]
    public void Parse_UndoesOctalEscapes()
    {
        var loop = MountInfo.Parse(Sample)[4];

        Assert.That(loop.MountPoint, Is.EqualTo("/mnt/my disk\tx"));
    }

    [Test]
    public void Parse_TheHostsOwnMountinfo()
    {
        var entries = MountInfo.Parse(File.ReadAllText(MountInfo.ProcPath));

        Assert.That(entries.Select(e => e.MountPoint), Does.Contain("/"));
        Assert.That(entries.Select(e => e.MountId), Is.Unique);
    }

    [TestCase("22 27 0:21 / /proc rw shared:12 proc proc rw")]
    [TestCase("x 27 0:21 / /proc rw - proc proc rw")]
    [TestCase("22 27 021 / /proc rw - proc proc rw")]
    [TestCase("22 27 0:21 / /proc rw - proc")]
    public void Parse_MalformedLine_NamesTheLine(string bad)
    {
        var e = Assert.Throws<InvalidDataException>(() => MountInfo.Parse(Sample + bad + "\n"));

        Assert.That(e!.Message, Does.Contain("line 6"));
    }
}
