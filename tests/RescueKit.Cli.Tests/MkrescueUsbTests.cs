using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `mkrescue --output usb` as a user runs it: the refusals (each one line, exit 4, nothing written) on image files,
/// /dev/null and loop devices of files (mounted, too small, not confirmed), and a real stick image made then updated.
/// </summary>
public class MkrescueUsbTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("rk-cli-usb-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private Rescuekit.Result Mkrescue(params string[] args) =>
        Rescuekit.Run(["mkrescue", "--output", "usb", "--out", Path.Combine(_dir, "out"), .. args]);

    private string Loop(string size)
    {
        if (!Environment.IsPrivilegedProcess) Assert.Fail("device refusal tests need root: they attach loop devices (run them as root)");
        var file = Path.Combine(_dir, $"disk-{size}.img");
        ExternalTool.RunOk("truncate", "coreutils", ["-s", size, file]);
        return ExternalTool.RunOk("losetup", "mount", ["--find", "--show", file]).Trim();
    }

    private static void Detach(string loop) => ExternalTool.Run("losetup", "mount", ["-d", loop]);

    [Test]
    public void NeitherDeviceNorImage_IsRefused() =>
        BadInputTests.AssertOneLineError(Mkrescue(), ExitCodes.BadInput, "give --device /dev/sdX or --image FILE --size SIZE");

    [Test]
    public void UsbOptionsWithTheIso_AreRefused() =>
        BadInputTests.AssertOneLineError(Rescuekit.Run("mkrescue", "--output", "iso", "--out", _dir, "--device", "/dev/sdz"),
            ExitCodes.BadInput, "--device is for --output usb");

    [Test]
    public void NotABlockDevice_IsRefused() =>
        BadInputTests.AssertOneLineError(Mkrescue("--device", "/dev/null", "--yes"), ExitCodes.BadInput,
            "--device /dev/null is not a block device (a character device)");

    [Test]
    public void ADeviceTooSmall_SaysHowBigItMustBe()
    {
        var loop = Loop("100M");
        try
        {
            BadInputTests.AssertOneLineError(Mkrescue("--device", loop, "--yes"), ExitCodes.BadInput,
                $"--device {loop}", "holds 100 MiB", "needs at least 578 MiB");
        }
        finally { Detach(loop); }
    }

    [Test]
    public void ADeviceWithAMountedFileSystem_IsRefused()
    {
        var loop = Loop("700M");
        var mnt = Directory.CreateDirectory(Path.Combine(_dir, "mnt")).FullName;
        try
        {
            ExternalTool.RunOk("mkfs.ext4", "e2fsprogs", ["-q", loop]);
            ExternalTool.RunOk("mount", "mount", [loop, mnt]);
            BadInputTests.AssertOneLineError(Mkrescue("--device", loop, "--yes"), ExitCodes.BadInput,
                $"--device {loop} is in use: {loop} is mounted on {mnt}");
        }
        finally
        {
            ExternalTool.Run("umount", "mount", [mnt]);
            Detach(loop);
        }
    }

    [Test]
    public void ADevice_IsNotWrittenUnconfirmed_WithoutATerminal()
    {
        var loop = Loop("700M");
        try
        {
            BadInputTests.AssertOneLineError(Mkrescue("--device", loop), ExitCodes.BadInput, "give --yes to confirm");
        }
        finally { Detach(loop); }
    }

    [Test]
    public void ADeviceOfSomethingElse_IsRefusedWithoutWipe_BeforeTheBuild()
    {
        var loop = Loop("700M");
        try
        {
            ExternalTool.RunOk("mkfs.ext4", "e2fsprogs", ["-q", loop]);
            BadInputTests.AssertOneLineError(Mkrescue("--device", loop, "--yes"), ExitCodes.BadInput,
                "is not a RescueKit stick (no GPT", "give --wipe");
        }
        finally { Detach(loop); }
    }

    [Test]
    public void AnImageTooSmall_IsRefused_AndNoFileIsLeft()
    {
        var image = Path.Combine(_dir, "stick.img");
        BadInputTests.AssertOneLineError(Mkrescue("--image", image, "--size", "300M"), ExitCodes.BadInput, "needs at least 578 MiB");
        Assert.That(Directory.EnumerateFiles(_dir), Is.Empty);
    }

    [TestCase("--size", "lots", "--size 'lots' is not a medium size")]
    [TestCase("--data-size", "10M", "--data-size 10M is below the smallest data partition")]
    [TestCase("--yes", null, "--yes is for --device")]
    public void BadImageOptions_AreRefused(string option, string? value, string message)
    {
        string[] extra = value is null ? [option] : [option, value];
        string[] size = option == "--size" ? [] : ["--size", "1G"];
        BadInputTests.AssertOneLineError(Mkrescue(["--image", Path.Combine(_dir, "x.img"), .. size, .. extra]), ExitCodes.BadInput, message);
        Assert.That(File.Exists(Path.Combine(_dir, "x.img")), Is.False);
    }

    [Test]
    public void AnImage_IsMade_ThenUpdatedInPlace()
    {
        var image = Path.Combine(_dir, "stick.img");
        var made = Mkrescue("--image", image, "--size", "700M");
        Assert.That(made.ExitCode, Is.EqualTo(0), made.Stderr);
        Assert.That(made.Stdout, Does.Contain($"Rescue USB stick: {image}"));
        Assert.That(ExternalTool.RunOk("sgdisk", "gdisk", ["-v", image]), Does.Contain("No problems found"));
        Assert.That(ExternalTool.RunOk("sgdisk", "gdisk", ["-i", "1", image]), Does.Contain("RESCUEKIT-BOOT"));

        var updated = Mkrescue("--image", image);
        Assert.That(updated.ExitCode, Is.EqualTo(0), updated.Stderr);
        Assert.That(ExternalTool.RunOk("sgdisk", "gdisk", ["-i", "2", image]), Does.Contain("RESCUEKIT-BOOT"));
        Assert.That(ExternalTool.RunOk("sgdisk", "gdisk", ["-v", image]), Does.Contain("No problems found"));
    }
}
