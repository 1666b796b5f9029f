using RescueKit.Core;
using RescueKit.Host;
using RescueKit.Media.Steps;
using Serilog;

namespace RescueKit.Media.Tests;

/// <summary>A host that lacks a piece: the build stops with the piece and its package named, and leaves no ISO behind.</summary>
public class RescueMediaBuilderTests
{
    /// <summary>A host root with the programs the first step looks for, so a test reaches the piece it takes away.</summary>
    private static RescueConfig Config(TempDirectory host, TempDirectory output)
    {
        foreach (var (program, _) in RescueTools.Essential) Executable(host, $"usr/bin/{program}");
        return BareConfig(host, output);
    }

    private static void Executable(TempDirectory host, string relative)
        => File.SetUnixFileMode(host.Write(relative, "#!/bin/sh\n"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

    private static RescueConfig BareConfig(TempDirectory host, TempDirectory output) => new()
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
    public void FirstStep_NamesEveryMissingProgramWithItsPackage_AndWritesNothing()
    {
        using var host = new TempDirectory();
        using var output = new TempDirectory();
        AddKernel(host);
        var config = BareConfig(host, output);
        File.WriteAllText(config.IsoPath, "the last good ISO");

        var e = Fails(config);

        Assert.That(e.Message, Does.Contain("the program 'busybox'").And.Contain("the program 'kmod'")
            .And.Contain("apt-get install busybox-static kmod"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingPrerequisite));
        Assert.That(File.ReadAllText(config.IsoPath), Is.EqualTo("the last good ISO"));
        Assert.That(Directory.EnumerateFiles(output.Path), Has.Exactly(1).Items);
    }

    [Test]
    public void FirstStep_ChecksTheProgramsItRuns_AndTheZstdLibrary()
    {
        using var host = new TempDirectory();
        foreach (var (program, _) in RescueTools.Essential) Executable(host, $"usr/bin/{program}");
        var runner = new NoProgramsRunner();

        var missing = CheckPrerequisitesStep.Missing(runner, host.Path, zstdLoads: () => false);

        Assert.That(missing, Is.EqualTo(new[]
        {
            ("the program 'depmod'", "kmod"), ("the program 'grub-mkimage'", "grub-common"), ("the zstd library libzstd.so.1", "libzstd1"),
        }));
        Assert.That(CheckPrerequisitesStep.Missing(new ToolRunner(Serilog.Core.Logger.None), host.Path, () => true), Is.Empty,
            "this machine has depmod and grub-mkimage (make deps)");
    }

    /// <summary>A system where no program is installed.</summary>
    private sealed class NoProgramsRunner : IToolRunner
    {
        public ToolResult Run(IReadOnlyList<string> argv, IReadOnlyCollection<int>? allowedExitCodes = null,
            string? workingDirectory = null, CancellationToken cancellationToken = default, string? standardInput = null,
            TimeSpan? timeout = null, Action<string>? standardOutputLine = null)
            => throw new MissingPrerequisiteException($"the program '{argv[0]}'", argv[0]);

        public string? Find(string program) => null;
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

    [TestCase("usr/lib/PXELINUX", "pxelinux")]
    [TestCase("usr/lib/ipxe", "ipxe")]
    public void PxeWithoutANetworkBootLoader_NamesItsPackage_AndWritesNoTree(string removed, string package)
    {
        using var host = new TempDirectory();
        using var output = new TempDirectory();
        AddKernel(host);
        foreach (var f in Pxe.PxeBootFiles.Pxelinux) host.Write($"usr/lib/PXELINUX/{f}", "x");
        foreach (var m in Pxe.PxeBootFiles.PxelinuxModules) host.Write($"usr/lib/syslinux/modules/bios/{m}", "x");
        foreach (var f in Pxe.PxeBootFiles.Ipxe) host.Write($"usr/lib/ipxe/{f}", "x");
        foreach (var m in Pxe.PxeBootFiles.GrubNetModules) host.Write($"usr/lib/grub/x86_64-efi/{m}.mod", "x");
        Directory.Delete(host.Combine(removed), recursive: true);
        var builder = new RescueMediaBuilder(new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None);
        var steps = RescueMediaBuilder.PxeSteps(new WritePxeTreeStep(new Pxe.PxeRequest { Macs = [] }));

        var e = Assert.Throws<MissingPrerequisiteException>(() => builder.Build(Config(host, output), steps))!;

        Assert.That(e.Message, Does.Contain($"apt-get install {package}"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingPrerequisite));
        Assert.That(Directory.EnumerateFileSystemEntries(output.Path), Is.Empty);
    }

    [Test]
    public void PxeSteps_AreTheIsoStepsToTheInitramfs_WithTheNetworkBootLoadersAndEveryModuleInTheInitramfs()
    {
        var tree = new WritePxeTreeStep(new Pxe.PxeRequest { Macs = [] });
        var pxe = RescueMediaBuilder.PxeSteps(tree);
        Assert.That(pxe[^1], Is.SameAs(tree));
        Assert.That(pxe.Any(s => s is LocateBootFilesStep or BuildEfiImageStep or WriteIsoStep), Is.False);
        Assert.That(pxe.Select(s => s.GetType().Name), Is.EqualTo(RescueMediaBuilder.IsoSteps.TakeWhile(s => s is not BuildEfiImageStep)
            .Select(s => s is LocateBootFilesStep ? nameof(LocatePxeBootFilesStep) : s.GetType().Name).Append(nameof(WritePxeTreeStep))));
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
        host.Write("usr/lib/syslinux/mbr/gptmbr.bin", "x");

        var e = Fails(Config(host, output));

        Assert.That(e.Message, Does.Contain("apt-get install grub-efi-amd64-bin"));
    }

    [Test]
    public void NoBusybox_NamesBusyboxStatic()
    {
        using var host = new TempDirectory();
        using var output = new TempDirectory();
        AddKernel(host);
        var config = BareConfig(host, output);
        var context = new BuildContext(config, new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None, output.Path);

        var e = Assert.Throws<MissingPrerequisiteException>(() => new AddProgramsStep().Run(context, CancellationToken.None))!;

        Assert.That(e.Message, Does.Contain("busybox").And.Contain("apt-get install busybox-static"));
    }
}
