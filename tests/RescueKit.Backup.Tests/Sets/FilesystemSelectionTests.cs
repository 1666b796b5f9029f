using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Discovery.Layout;

namespace RescueKit.Backup.Tests.Sets;

/// <summary>Which mounts become sets, from mountinfo lines as the kernel writes them and a fake /sys/class/block.</summary>
public class FilesystemSelectionTests
{
    private const string Mounts = """
        22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
        23 28 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
        28 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
        30 28 8:1 / /boot rw,relatime shared:3 - ext4 /dev/sda1 rw
        31 30 8:3 / /boot/efi rw,relatime shared:4 - vfat /dev/sda3 rw,fmask=0077
        32 28 254:0 / /home rw,relatime shared:5 - xfs /dev/mapper/vg-home rw,attr2
        33 28 0:30 / /tmp rw,nosuid,nodev shared:6 - tmpfs tmpfs rw
        34 28 254:0 /alice /srv/alice rw,relatime shared:5 - xfs /dev/mapper/vg-home rw,attr2
        35 28 8:17 / /var/lib/my\040data rw,relatime shared:7 - ext4 /dev/sdb1 rw
        """;

    private string _sys = null!;

    [SetUp]
    public void FakeSysClassBlock()
    {
        _sys = Directory.CreateTempSubdirectory("rk-sys-").FullName;
        Device("sda", "8:0");
        Device("sda/sda1", "8:1", partition: true);
        Device("sda/sda2", "8:2", partition: true);
        Device("sda/sda3", "8:3", partition: true);
        Device("sda1", "8:1");
        Device("sda2", "8:2");
        Device("sda3", "8:3");
        Device("sdb", "8:16");
        Device("sdb/sdb1", "8:17", partition: true);
        Device("sdb1", "8:17");
        Device("dm-0", "254:0");
        // dm-0 (vg-home) is stacked on sdb1.
        Directory.CreateDirectory(Path.Combine(_sys, "sdb1", "holders", "dm-0"));
    }

    [TearDown]
    public void Remove() => Directory.Delete(_sys, recursive: true);

    private void Device(string path, string dev, bool partition = false)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_sys, path)).FullName;
        File.WriteAllText(Path.Combine(dir, "dev"), dev + "\n");
        if (partition) File.WriteAllText(Path.Combine(dir, "partition"), "1\n");
    }

    private IReadOnlyList<SourceFilesystem> Select(params string[] devices) =>
        FilesystemSelection.Select(MountInfo.Parse(Mounts), devices, _sys, d => d == "/dev/sda2" ? "uuid-of-root" : null);

    [Test]
    public void EveryRealFilesystem_IsOneSet_NamedFromItsMountPoint_AndBindMountsAreSkipped()
    {
        var sets = Select();

        Assert.That(sets.Select(s => (s.Name, s.MountPoint, s.FsType)), Is.EqualTo(new[]
        {
            ("root", "/", "ext4"),
            ("boot", "/boot", "ext4"),
            ("boot-efi", "/boot/efi", "vfat"),
            ("home", "/home", "xfs"),
            ("var-lib-my_data", "/var/lib/my data", "ext4"),
        }));
        Assert.That(sets[0].Uuid, Is.EqualTo("uuid-of-root"));
        Assert.That(sets[0].Device, Is.EqualTo("/dev/sda2"));
    }

    [Test]
    public void ADevice_SelectsItsPartitions_AndWhatIsStackedOnThem()
    {
        Assert.That(Select("/dev/sdb").Select(s => s.Name), Is.EqualTo(new[] { "home", "var-lib-my_data" }));
        Assert.That(Select("/dev/sda").Select(s => s.Name), Is.EqualTo(new[] { "root", "boot", "boot-efi" }));
        Assert.That(Select("/dev/sda3").Select(s => s.Name), Is.EqualTo(new[] { "boot-efi" }));
    }

    [Test]
    public void ADeviceThatIsNotThere_OrHoldsNoMountedFilesystem_IsABadInput()
    {
        Device("sdc", "8:32");

        Assert.That(Assert.Throws<BadInputException>(() => Select("/dev/nvme9n9"))!.Message, Does.Contain("is not a block device"));
        Assert.That(Assert.Throws<BadInputException>(() => Select("/dev/sdc"))!.Message, Does.Contain("no mounted ext2/3/4"));
    }

    [Test]
    public void BtrfsSubvolumeMounts_AreSetsOfTheirOwn()
    {
        var mounts = MountInfo.Parse("""
            28 1 0:33 /@ / rw,relatime shared:1 - btrfs /dev/vda2 rw,subvol=/@
            29 28 0:33 /@home /home rw,relatime shared:2 - btrfs /dev/vda2 rw,subvol=/@home
            """);

        var sets = FilesystemSelection.Select(mounts, [], _sys, _ => null);

        Assert.That(sets.Select(s => s.Name), Is.EqualTo(new[] { "root", "home" }));
    }

    [Test]
    public void TheLiveHost_HasItsRootFilesystemAsTheRootSet()
    {
        var sets = FilesystemSelection.Select(MountInfo.Parse(File.ReadAllText(MountInfo.ProcPath)), [], "/sys/class/block", _ => null);

        Assert.That(sets.Select(s => (s.Name, s.MountPoint)), Has.Member(("root", "/")));
        Assert.That(sets.Select(s => s.Name), Is.Unique);
        Assert.That(sets.Select(s => s.FsType).Distinct(), Is.SubsetOf(FilesystemSelection.RealFilesystems));
    }

    [TestCase("/", "root")]
    [TestCase("/boot/efi", "boot-efi")]
    [TestCase("/var/lib/x", "var-lib-x")]
    [TestCase("/srv/[odd]:name", "srv-_odd__name")]
    public void SetNames(string mountPoint, string name) => Assert.That(FilesystemSelection.SetName(mountPoint), Is.EqualTo(name));
}
