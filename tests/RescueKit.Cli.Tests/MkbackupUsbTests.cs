using System.Globalization;
using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `mkbackup --output usb --image`: the rescue stick and a backup in its data partition in one run, checked by
/// independent tools (sgdisk -v, fsck.fat -n and e2fsck -fn on loop devices of the partitions' byte ranges) and the
/// backup read off the partition verified by `rescuekit verify`; a second run updates the stick and --keep 1 prunes.
/// </summary>
[NonParallelizable]
public class MkbackupUsbTests
{
    private BackupScratch _scratch = null!;
    private string _out = null!;
    private string _image = null!;

    [SetUp]
    public void CreateScratch()
    {
        if (!Environment.IsPrivilegedProcess) Assert.Fail("mkbackup --output usb tests need root: they mount loop devices (run them as root)");
        _scratch = new BackupScratch("160M");
        _out = Directory.CreateDirectory(Path.Combine(_scratch.Directory, "out")).FullName;
        _image = Path.Combine(_scratch.Directory, "stick.img");
        _scratch.Source.Shell("mkdir -p data && head -c 3145728 /dev/urandom > data/random.bin && printf hello > data/small.txt");
    }

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    private Rescuekit.Result Mkbackup(params string[] extra) =>
        Rescuekit.Run(["mkbackup", "--device", _scratch.Source.Device, "--out", _out, "--config", _scratch.NoConfig, "--output", "usb", .. extra]);

    /// <summary>Start and length in bytes of partition <paramref name="number"/> of the image, as partx reads its GPT.</summary>
    private (long Start, long Bytes) Partition(int number)
    {
        var line = ExternalTool.RunOk("partx", "util-linux", ["--show", "-g", "-b", "-o", "NR,START,SECTORS", _image])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(f => f[0] == number.ToString(CultureInfo.InvariantCulture));
        return (long.Parse(line[1], CultureInfo.InvariantCulture) * 512, long.Parse(line[2], CultureInfo.InvariantCulture) * 512);
    }

    private string Loop((long Start, long Bytes) p) =>
        ExternalTool.RunOk("losetup", "mount", ["--find", "--show", "--read-only", "--offset", p.Start.ToString(CultureInfo.InvariantCulture),
            "--sizelimit", p.Bytes.ToString(CultureInfo.InvariantCulture), _image]).Trim();

    private static void Detach(string loop) => ExternalTool.Run("losetup", "mount", ["-d", loop]);

    /// <summary>The backup ids of the host on the data partition, read without mounting (debugfs).</summary>
    private static string[] BackupIds(string loop, string host) =>
        ExternalTool.RunOk("debugfs", "e2fsprogs", ["-R", $"ls /{host}", loop])
            .Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(n => n.Length == 16 && n.EndsWith('Z')).ToArray();

    [Test]
    public void AnImage_GetsTheRescueSystemAndAVerifiedBackup_AndASecondRunUpdatesItAndPrunes()
    {
        var first = Mkbackup("--image", _image, "--size", "700M");
        Assert.That(first.ExitCode, Is.Zero, first.Stderr + first.Stdout);
        Assert.That(first.Stdout, Does.Contain($"Rescue USB stick: {_image}"));
        var where = BackupScratch.BackupDirectory(first);
        Assert.That(where, Does.StartWith("usb:RESCUEKIT-DATA/").And.EndWith($" on {_image}"));
        var (host, firstId) = (where.Split('/')[1], where.Split('/')[2].Split(' ')[0]);

        Assert.That(ExternalTool.RunOk("sgdisk", "gdisk", ["-v", _image]), Does.Contain("No problems found"));
        var esp = Loop(Partition(1));
        try { ExternalTool.RunOk("fsck.fat", "dosfstools", ["-n", esp]); }
        finally { Detach(esp); }

        var data = Loop(Partition(3));
        var mnt = Directory.CreateDirectory(Path.Combine(_scratch.Directory, "data")).FullName;
        try
        {
            ExternalTool.RunOk("e2fsck", "e2fsprogs", ["-fn", data]);
            Assert.That(BackupIds(data, host), Is.EqualTo(new[] { firstId }));
            ExternalTool.RunOk("mount", "mount", ["-t", "ext4", "-o", "ro,noload", data, mnt]);
            var verify = Rescuekit.Run("verify", Path.Combine(mnt, host, firstId));
            Assert.That(verify.ExitCode, Is.Zero, verify.Stdout + verify.Stderr);
        }
        finally
        {
            ExternalTool.Run("umount", "mount", [mnt]);
            Detach(data);
        }
        Assert.That(File.ReadAllText("/proc/self/mounts"), Does.Not.Contain("/run/rescuekit/usb-"), "the data partition is still mounted");

        // The stick is updated in place (no --size), the first backup pruned by --keep 1 after the second is published.
        var second = Mkbackup("--image", _image, "--keep", "1");
        Assert.That(second.ExitCode, Is.Zero, second.Stderr + second.Stdout);
        var secondId = BackupScratch.BackupDirectory(second).Split('/')[2].Split(' ')[0];
        Assert.That(secondId, Is.Not.EqualTo(firstId));
        Assert.That(ExternalTool.RunOk("sgdisk", "gdisk", ["-v", _image]), Does.Contain("No problems found"));
        data = Loop(Partition(3));
        try
        {
            ExternalTool.RunOk("e2fsck", "e2fsprogs", ["-fn", data]);
            Assert.That(BackupIds(data, host), Is.EqualTo(new[] { secondId }), "--keep 1 keeps the newest only");
        }
        finally { Detach(data); }
    }

    [Test]
    public void ADataPartitionTooSmallForTheBackup_SaysHowBigTheStickMustBe()
    {
        // 80 MB of incompressible data against a 64 MiB data partition.
        _scratch.Source.Shell("head -c 83886080 /dev/urandom > data/big.bin");
        var r = Mkbackup("--image", _image, "--size", "700M", "--data-size", "64MiB");

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, $"the backup does not fit the data partition of {_image}",
            "use a stick of at least", "--wipe --size");
        var needed = long.Parse(System.Text.RegularExpressions.Regex.Match(r.Stderr, @"at least [0-9.]+ [MG]iB \((\d+) bytes\)").Groups[1].Value,
            CultureInfo.InvariantCulture);
        Assert.That(needed, Is.GreaterThan(700L * 1024 * 1024 + 80_000_000 - 64L * 1024 * 1024), "the size named must hold the backup");
        Assert.That(File.ReadAllText("/proc/self/mounts"), Does.Not.Contain("/run/rescuekit/usb-"), "the data partition is still mounted");
        var data = Loop(Partition(3));
        try
        {
            ExternalTool.RunOk("e2fsck", "e2fsprogs", ["-fn", data]);
            Assert.That(BackupIds(data, RescueHost()), Is.Empty, "no partial backup left looking complete");
        }
        finally { Detach(data); }
    }

    private static string RescueHost() => Environment.MachineName.Split('.')[0];

    [Test]
    public void MediaSizeWithAStick_IsRefused() =>
        BadInputTests.AssertOneLineError(Mkbackup("--image", _image, "--size", "700M", "--media-size", "dvd"), ExitCodes.BadInput,
            "--media-size is for --output iso");

    [Test]
    public void KeepWithTheIso_IsRefused() =>
        BadInputTests.AssertOneLineError(
            Rescuekit.Run("mkbackup", "--device", _scratch.Source.Device, "--out", _out, "--config", _scratch.NoConfig, "--output", "iso", "--keep", "2"),
            ExitCodes.BadInput, "--keep is for --output usb");

    [Test]
    public void BothStickAndImage_AreRefused_NamingTheStickOption()
    {
        BadInputTests.AssertOneLineError(Mkbackup("--image", _image, "--size", "700M", "--usb-device", "/dev/null"), ExitCodes.BadInput,
            "give --usb-device /dev/sdX or --image FILE --size SIZE");
        Assert.That(File.Exists(_image), Is.False);
    }

    [Test]
    public void AStickThatIsNoBlockDevice_IsRefused_NamingTheStickOption() =>
        BadInputTests.AssertOneLineError(Mkbackup("--usb-device", "/dev/null", "--yes"), ExitCodes.BadInput,
            "--usb-device /dev/null is not a block device");

    [Test]
    public void AnImageTooSmallForAStick_IsRefusedBeforeTheBackup()
    {
        BadInputTests.AssertOneLineError(Mkbackup("--image", _image, "--size", "100M"), ExitCodes.BadInput, "needs at least 578 MiB");
        Assert.That(File.Exists(_image), Is.False);
    }
}
