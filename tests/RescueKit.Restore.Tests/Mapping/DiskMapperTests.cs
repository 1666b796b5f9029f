using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;
using RescueKit.Discovery.Tests.Layout;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Tests.Mapping;

/// <summary>
/// Source disks of a layout onto the disks `lsblk -J -b -O` reported on target machines of the VM lab
/// (tests/RescueKit.Discovery.Tests/Fixtures/layout), and onto machines described in a few lsblk lines.
/// </summary>
public class DiskMapperTests
{
    private const long MiB = 1 << 20;

    private static IReadOnlyList<TargetDisk> LabMachine(string configuration, IReadOnlyDictionary<string, string>? protectedDevices = null)
    {
        var file = Path.Combine(Fixtures.Layout(configuration), "lsblk.json");
        // The lab captured its fixtures with the filesystems mounted; booted from a rescue medium, nothing on them is.
        var devices = Lsblk.Parse(File.ReadAllText(file)).Select(Unmounted).ToList();
        return TargetDisk.From(devices, protectedDevices ?? new Dictionary<string, string>());

        static LsblkDevice Unmounted(LsblkDevice d) => d with { MountPoints = [], Children = d.Children.Select(Unmounted).ToList() };
    }

    /// <summary>A machine of whole disks: "path size-in-MiB [serial]", and the rescue CD as a rom device.</summary>
    private static IReadOnlyList<TargetDisk> Machine(IReadOnlyDictionary<string, string>? protectedDevices, params string[] disks)
    {
        var devices = disks.Select(d => d.Split(' ')).Select(f =>
            $$"""{"name":"{{f[0][5..]}}","path":"{{f[0]}}","type":"disk","size":{{long.Parse(f[1]) * MiB}},"serial":{{(f.Length > 2 ? $"\"{f[2]}\"" : "null")}}}""")
            .Append("""{"name":"sr0","path":"/dev/sr0","type":"rom","size":73400320}""");
        return TargetDisk.From(Lsblk.Parse($$"""{"blockdevices":[{{string.Join(',', devices)}}]}"""),
            protectedDevices ?? new Dictionary<string, string>());
    }

    private static DiskInfo Source(string path, long mib, string? serial = null) => new() { Path = path, Size = mib * MiB, Serial = serial };

    private static DiskMapping Map(IReadOnlyList<DiskInfo> sources, IReadOnlyList<TargetDisk> targets, params string[] given)
        => DiskMapper.Map(sources, targets, d => d.Size, given.Select(g => g.Split('=')).ToDictionary(p => p[0], p => p[1]));

    private static IEnumerable<string> Pairs(DiskMapping m) => m.Pairs.Select(p => $"{p.Source}={p.Target} {p.Match}");

    [Test]
    public void IdenticalDisks_SameSizeAndName()
    {
        var m = Map([Source("/dev/vda", 128), Source("/dev/vdb", 128)], LabMachine("raid1"));

        Assert.That(m.IsComplete);
        Assert.That(Pairs(m), Is.EqualTo(new[] { "/dev/vda=/dev/vda SameSizeAndName", "/dev/vdb=/dev/vdb SameSizeAndName" }));
    }

    [Test]
    public void BiggerDisks_TheSmallestThatFits()
    {
        var m = Map([Source("/dev/sda", 100)], Machine(null, "/dev/vda 600", "/dev/vdb 128"));

        Assert.That(Pairs(m), Is.EqualTo(new[] { "/dev/sda=/dev/vdb SmallestThatFits" }));
    }

    [Test]
    public void SmallerDisk_ThatDoesNotFit_IsUnmapped_WithNoCandidate()
    {
        var m = Map([Source("/dev/vda", 600)], LabMachine("raid1"));

        Assert.That(m.IsComplete, Is.False);
        Assert.That(m.Unmapped.Single().Source, Is.EqualTo("/dev/vda"));
        Assert.That(m.Unmapped.Single().RequiredSize, Is.EqualTo(600 * MiB));
        Assert.That(m.Unmapped.Single().Candidates, Is.Empty);
    }

    [Test]
    public void SmallerDisk_ThatFitsWhatItMustHold_IsMapped()
    {
        var m = DiskMapper.Map([Source("/dev/sda", 600)], LabMachine("raid1"), _ => 100 * MiB);

        Assert.That(m.IsComplete, Is.False, "two 128 MiB disks fit equally well");
        Assert.That(m.Unmapped.Single().Candidates, Is.EqualTo(new[] { "/dev/vda", "/dev/vdb" }));
    }

    [Test]
    public void SdaOntoNvme()
    {
        var m = Map([Source("/dev/sda", 128)], LabMachine("nvme"));

        Assert.That(Pairs(m), Is.EqualTo(new[] { "/dev/sda=/dev/nvme0n1 SameSize" }));
    }

    [Test]
    public void SameSerial_WinsOverNameAndSize()
    {
        var m = Map([Source("/dev/sda", 128, "rklab0")], Machine(null, "/dev/sda 128 other", "/dev/nvme0n1 256 rklab0"));

        Assert.That(Pairs(m), Is.EqualTo(new[] { "/dev/sda=/dev/nvme0n1 SameDisk" }));
    }

    [Test]
    public void OneDiskMissing_IsUnmapped()
    {
        var m = Map([Source("/dev/vda", 128), Source("/dev/vdb", 128), Source("/dev/vdc", 128)], LabMachine("raid1"));

        Assert.That(Pairs(m), Has.Exactly(2).Items);
        Assert.That(m.Unmapped.Select(u => u.Source), Is.EqualTo(new[] { "/dev/vdc" }));
    }

    [Test]
    public void TwoDisksOfTheSameSize_AreNeverGuessed()
    {
        var m = Map([Source("/dev/sda", 128), Source("/dev/sdb", 128)], LabMachine("raid1"));

        Assert.That(m.Pairs, Is.Empty);
        Assert.That(m.Unmapped.Select(u => (u.Source, string.Join(' ', u.Candidates))), Is.EqualTo(new[]
        {
            ("/dev/sda", "/dev/vda /dev/vdb"), ("/dev/sdb", "/dev/vda /dev/vdb"),
        }));
        Assert.That(m.Unmapped.All(u => u.IsAmbiguous));
    }

    [Test]
    public void TwoDisksOfTheSameSize_OneGiven_TheOtherFollows()
    {
        var m = Map([Source("/dev/sda", 128), Source("/dev/sdb", 128)], LabMachine("raid1"), "/dev/sda=/dev/vdb");

        Assert.That(Pairs(m), Is.EqualTo(new[] { "/dev/sda=/dev/vdb Given", "/dev/sdb=/dev/vda SameSize" }));
    }

    [Test]
    public void BootMediumAndBackupDisk_AreNeverCandidates()
    {
        var protect = new Dictionary<string, string>
        {
            ["/dev/sdb"] = "the rescue system booted from it",
            ["/dev/sdc"] = "it holds the backup",
        };
        var targets = Machine(protect, "/dev/sda 64", "/dev/sdb 128", "/dev/sdc 128");

        var m = Map([Source("/dev/sda", 128)], targets);

        Assert.That(m.Pairs, Is.Empty);
        Assert.That(m.Unmapped.Single().Candidates, Is.Empty);
        Assert.That(targets.Select(t => t.Path), Does.Not.Contain("/dev/sr0"), "a CD drive is not a disk");
        var e = Assert.Throws<BadInputException>(() => Map([Source("/dev/sda", 128)], targets, "/dev/sda=/dev/sdb"))!;
        Assert.That(e.Message, Is.EqualTo("/dev/sdb must not be restored onto: the rescue system booted from it"));
    }

    /// <summary>A disk with one partition mounted on <paramref name="mountPoint"/>, as lsblk lists it.</summary>
    private static TargetDisk DiskWithMountedPartition(string mountPoint) => TargetDisk.From(Lsblk.Parse($$"""
        {"blockdevices":[{"name":"sdc","path":"/dev/sdc","type":"disk","size":134217728,"children":[
          {"name":"sdc1","path":"/dev/sdc1","type":"part","size":134000000,"mountpoints":["{{mountPoint}}"]}]}]}
        """), new Dictionary<string, string>()).Single();

    [Test]
    public void AMountedPartition_MakesItsDiskInUse()
    {
        Assert.That(DiskWithMountedPartition("/run/rescuekit/media").Refused, Is.EqualTo("/dev/sdc1 is mounted on /run/rescuekit/media"));
    }

    [Test]
    public void TheRestoresOwnMounts_DoNotMakeADiskInUse()
    {
        Assert.That(DiskWithMountedPartition("/mnt/target/boot").Refused, Is.Null, "a stopped restore being resumed has its target mounted there");
        Assert.That(DiskWithMountedPartition("/mnt/targets").Refused, Is.Not.Null, "only the target root itself");
    }

    [Test]
    public void Raid1WithOneMemberMissing_IsCompleteOnlyWhenTheUserSkipsIt()
    {
        var sources = new[] { Source("/dev/vda", 128), Source("/dev/vdb", 128) };
        var targets = Machine(null, "/dev/vda 128");

        Assert.That(Map(sources, targets).IsComplete, Is.False);
        var skipped = Map(sources, targets, "/dev/vdb=none");
        Assert.That(skipped.IsComplete);
        Assert.That(skipped.Skipped, Is.EqualTo(new[] { "/dev/vdb" }));
        Assert.That(Pairs(skipped), Is.EqualTo(new[] { "/dev/vda=/dev/vda SameSizeAndName" }));
    }

    [TestCase("/dev/sdz=/dev/vda", "the mapping names /dev/sdz, which is not a disk of the layout (/dev/vda)")]
    [TestCase("/dev/vda=/dev/sdz", "the mapping names /dev/sdz, which is not a disk of this machine (/dev/vda, /dev/vdb)")]
    [TestCase("/dev/vda=/dev/vdb", "/dev/vdb (64.0 MiB) is too small for /dev/vda: it needs 128.0 MiB")]
    public void GivenPairThatCannotBe_IsBadInput(string given, string message)
    {
        var e = Assert.Throws<BadInputException>(() => Map([Source("/dev/vda", 128)], Machine(null, "/dev/vda 128", "/dev/vdb 64"), given))!;

        Assert.That(e.Message, Is.EqualTo(message));
    }
}
