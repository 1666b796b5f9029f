using RescueKit.Core;
using RescueKit.Media.Steps;
using Serilog;

namespace RescueKit.Media.Tests;

/// <summary>A host that lacks a piece: the build stops with the piece and its package named, and leaves no ISO behind.</summary>
public class RescueMediaBuilderTests
{
    private static RescueConfig Config(TempDirectory host, TempDirectory output) => new()
    {
        OutputDirectory = output.Path,
        HostName = "testhost",
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        RescueBinary = host.Write("usr/bin/rescuekit", "binary"),
        Version = "0.0.0",
        HostRoot = host.Path,
    };

    private static void AddKernel(TempDirectory host, string version = "6.1.0-99-amd64")
    {
        host.Write($"boot/vmlinuz-{version}", "kernel");
        host.Write($"lib/modules/{version}/modules.dep", "");
    }

    private static RescueKitException Fails(RescueConfig config)
    {
        var builder = new RescueMediaBuilder(new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None);
        return Assert.Throws<MissingPrerequisiteException>(() => builder.Build(config, RescueMediaBuilder.IsoSteps))!;
    }

    [Test]
    public void NoKernelInBoot_NamesLinuxImagePackage_AndWritesNothing()
    {
        using var host = new TempDirectory();
        using var output = new TempDirectory();

        var e = Fails(Config(host, output));

        Assert.That(e.Message, Does.Contain("apt-get install linux-image-amd64"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingPrerequisite));
        Assert.That(Directory.EnumerateFileSystemEntries(output.Path), Is.Empty);
    }

    [Test]
    public void NoIsolinux_NamesIsolinuxPackage_AndKeepsThePreviousIso()
    {
        using var host = new TempDirectory();
        using var output = new TempDirectory();
        AddKernel(host);
        var config = Config(host, output);
        File.WriteAllText(config.IsoPath, "the last good ISO");

        var e = Fails(config);

        Assert.That(e.Message, Does.Contain("ISOLINUX").And.Contain("apt-get install isolinux"));
        Assert.That(File.ReadAllText(config.IsoPath), Is.EqualTo("the last good ISO"));
        Assert.That(Directory.EnumerateFiles(output.Path), Has.Exactly(1).Items);
    }

    [Test]
    public void NoGrubEfi_NamesGrubEfiPackage()
    {
        using var host = new TempDirectory();
        using var output = new TempDirectory();
        AddKernel(host);
        host.Write("usr/lib/ISOLINUX/isolinux.bin", "x");
        host.Write("usr/lib/ISOLINUX/isohdpfx.bin", "x");
        foreach (var m in BootFiles.IsolinuxModules) host.Write($"usr/lib/syslinux/modules/bios/{m}", "x");

        var e = Fails(Config(host, output));

        Assert.That(e.Message, Does.Contain("apt-get install grub-efi-amd64-bin"));
    }

    [Test]
    public void NoBusybox_NamesBusyboxStatic()
    {
        using var host = new TempDirectory();
        using var output = new TempDirectory();
        AddKernel(host);
        var config = Config(host, output);
        var context = new BuildContext(config, new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None, output.Path);

        var e = Assert.Throws<MissingPrerequisiteException>(() => new AddProgramsStep().Run(context, CancellationToken.None))!;

        Assert.That(e.Message, Does.Contain("busybox").And.Contain("apt-get install busybox-static"));
    }
}
