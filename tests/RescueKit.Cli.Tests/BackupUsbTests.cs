using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `backup --to usb:LABEL`: the data partition of a stick image made by mkrescue --output usb, attached as a loop device
/// of its byte range (losetup -o, as the kernel here cannot scan a loop device's partitions), found by label, mounted for
/// the backup, pruned by --keep, and unmounted after.
/// </summary>
public class BackupUsbTests
{
    private const long MiB = 1024 * 1024;
    private BackupScratch _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = new BackupScratch("64M");

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    private static IReadOnlyList<string> UsbMountPoints() =>
        Directory.Exists("/run/rescuekit") ? Directory.GetDirectories("/run/rescuekit", "usb-*") : [];

    private Rescuekit.Result Backup(params string[] extra) =>
        Rescuekit.Run(["backup", "--device", _scratch.Source.Device, "--config", _scratch.NoConfig, .. extra]);

    [Test]
    public void NoStickPluggedIn_IsOneClearLine() =>
        BadInputTests.AssertOneLineError(Backup("--to", "usb:RK-NO-SUCH-LBL"), ExitCodes.BadInput,
            "no partition is labelled RK-NO-SUCH-LBL", "plug in the RescueKit stick");

    [Test]
    public void ABadLabel_IsRefused() =>
        BadInputTests.AssertOneLineError(Backup("--to", "usb:a/b"), ExitCodes.BadInput, "'a/b' is not an ext4 label");

    [Test]
    public void TheDataPartition_IsFoundByLabel_MountedForTheBackup_PrunedAndUnmounted()
    {
        var image = Path.Combine(_scratch.Directory, "stick.img");
        var made = Rescuekit.Run("mkrescue", "--output", "usb", "--image", image, "--size", "700M", "--out", _scratch.NewDirectory("out"));
        Assert.That(made.ExitCode, Is.EqualTo(0), made.Stderr);
        var dataStart = MiB + 512 * MiB;
        var loop = ExternalTool.RunOk("losetup", "mount", ["--find", "--show", "--offset", dataStart.ToString(),
            "--sizelimit", (700 * MiB - dataStart - MiB).ToString(), image]).Trim();
        var before = UsbMountPoints();
        try
        {
            _scratch.Source.Shell("printf one > f");
            var first = BackupScratch.BackupDirectory(Backup("--to", "usb:"));
            var second = BackupScratch.BackupDirectory(Backup("--to", "usb:RESCUEKIT-DATA", "--keep", "1"));
            Assert.That(first, Does.StartWith("usb:RESCUEKIT-DATA/"));
            Assert.That(second, Does.StartWith("usb:RESCUEKIT-DATA/"));
            Assert.That(UsbMountPoints(), Is.EqualTo(before), "a mount point was left behind");
            Assert.That(File.ReadAllText("/proc/self/mounts"), Does.Not.Contain(loop + " "), "the data partition is still mounted");

            // What is on the partition, read without mounting: one backup (the newest), with its manifest.
            var host = first.Split('/')[1];
            var listing = ExternalTool.RunOk("debugfs", "e2fsprogs", ["-R", $"ls -p /{host}", loop]);
            Assert.That(listing, Does.Contain(second.Split('/')[2]));
            Assert.That(listing, Does.Not.Contain(first.Split('/')[2]), "--keep 1 left the older backup");
            var manifest = ExternalTool.RunOk("debugfs", "e2fsprogs", ["-R", $"cat /{host}/{second.Split('/')[2]}/manifest.json", loop]);
            Assert.That(manifest, Does.Contain("\"sets\""));
            ExternalTool.RunOk("e2fsck", "e2fsprogs", ["-fn", loop]);
        }
        finally
        {
            ExternalTool.Run("losetup", "mount", ["-d", loop]);
        }
    }
}
