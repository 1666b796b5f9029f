using RescueKit.Core;
using RescueKit.Discovery;
using RescueKit.Host;
using RescueKit.Media.Rootfs;
using RescueKit.Media.Steps;

namespace RescueKit.Media.Tests;

/// <summary>The build's check of its own rescue tree: what a rescue system that loads no module or runs no program
/// would have looked like, refused by name; a whole tree passes.</summary>
public class RescueSystemCheckTests
{
    private const string Kernel = "6.12.0-99-amd64";
    private const string Dir = $"lib/modules/{Kernel}";
    private static readonly string[] Shipped = ["kernel/drivers/scsi/sr_mod.ko.zst", "kernel/drivers/cdrom/cdrom.ko.zst"];

    private static RootfsManifest Tree(string dep, string alias = "alias scsi:t-0x05* sr_mod\n", bool withLs = true)
    {
        var rootfs = new RootfsManifest();
        rootfs.AddSymlink("lib", "usr/lib");
        rootfs.AddSymlink("lib64", "usr/lib64");
        rootfs.AddSymlink("bin", "usr/bin");
        rootfs.AddGenerated($"{Dir}/modules.dep", dep);
        rootfs.AddGenerated($"{Dir}/modules.alias", alias);
        if (withLs)
            foreach (var file in LibraryClosure.Resolve(["/usr/bin/ls"]))
                rootfs.AddHostFile(file, file, "/");
        return rootfs;
    }

    private const string GoodDep = "kernel/drivers/scsi/sr_mod.ko.zst: kernel/drivers/cdrom/cdrom.ko.zst\nkernel/drivers/cdrom/cdrom.ko.zst:\n";

    private static List<string> Problems(RootfsManifest rootfs, Func<string, bool>? hostHas = null)
        => RescueSystemCheck.Problems(rootfs, Kernel, Shipped, hostHas ?? (_ => false));

    [Test]
    public void WholeTree_HasNoProblems()
    {
        Assert.That(Problems(Tree(GoodDep)), Is.Empty);
    }

    [Test]
    public void EmptyModulesDep_IsRefused()
    {
        // What depmod wrote for modules it did not recognise (*.ko.xz.zst): nothing, and exit 0.
        var problems = Problems(Tree("", alias: "# Aliases extracted from modules themselves.\n"));

        Assert.That(problems, Has.Some.Contains("modules.dep names none of the 2 modules shipped"));
        Assert.That(problems, Has.Some.Contains("modules.alias is empty"));
    }

    [Test]
    public void ModuleWithoutLine_AndDependencyNotShipped_AreNamed()
    {
        var problems = Problems(Tree("kernel/drivers/scsi/sr_mod.ko.zst: kernel/drivers/scsi/scsi_mod.ko.zst\n"));

        Assert.That(problems, Has.Some.EqualTo("modules.dep has no line for the module kernel/drivers/cdrom/cdrom.ko.zst"));
        Assert.That(problems, Has.Some.EqualTo(
            "the module kernel/drivers/scsi/sr_mod.ko.zst needs kernel/drivers/scsi/scsi_mod.ko.zst, which is not in the rescue system"));
    }

    [Test]
    public void ProgramWithoutItsLibraries_IsNamed()
    {
        var rootfs = Tree(GoodDep, withLs: false);
        rootfs.AddHostFile("/usr/bin/ls", "usr/bin/ls", "/");

        var problems = Problems(rootfs);

        Assert.That(problems, Has.Some.EqualTo("/usr/bin/ls: needs libc.so.6, which is not in the rescue system"));
        Assert.That(problems, Has.Some.Contains("/usr/bin/ls: its interpreter /lib64/ld-linux-x86-64.so.2 is not in the rescue system"));
    }

    [Test]
    public void DlopenedLibraryTheHostHas_MustBeInTheTree()
    {
        var problems = Problems(Tree(GoodDep), hostHas: soname => soname == "libzstd.so.1");

        Assert.That(problems, Is.EqualTo(new[]
        {
            "libzstd.so.1 (loaded with dlopen by the rescue system's programs) is on the host but not in the rescue system",
        }));
    }

    [Test]
    public void Step_StopsTheBuild_WithTheCheckFailedExitCode()
    {
        using var work = new TempDirectory();
        var config = new RescueConfig
        {
            OutputDirectory = work.Path, HostName = "h", Timestamp = DateTimeOffset.UnixEpoch, RescueBinary = "/bin/true", Version = "0",
        };
        var context = new BuildContext(config, new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None, work.Path)
        {
            Kernel = new KernelImage(Kernel, "/boot/vmlinuz", "/lib/modules/" + Kernel, false, null),
            ShippedModules = Shipped,
        };
        context.Rootfs.AddGenerated($"{Dir}/modules.dep", "");

        var e = Assert.Throws<RescueKitException>(() => new CheckRescueSystemStep().Run(context, CancellationToken.None))!;

        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(e.Message, Does.StartWith("the rescue system fails its own check: modules.dep names none of the 2 modules shipped")
            .And.EndWith("no medium was written"));
    }

    [TestCase("kernel/fs/isofs/isofs.ko", "kernel/fs/isofs/isofs.ko.zst")]
    [TestCase("kernel/fs/isofs/isofs.ko.xz", "kernel/fs/isofs/isofs.ko.zst")]
    [TestCase("kernel/fs/isofs/isofs.ko.zst", "kernel/fs/isofs/isofs.ko.zst")]
    [TestCase("kernel/fs/isofs/isofs.ko.gz", "kernel/fs/isofs/isofs.ko.zst")]
    public void ModulesAreStoredWithOneCompressionSuffix(string host, string stored)
    {
        Assert.That(AddModulesStep.StoredPath(host, ModuleCompression.Zstd), Is.EqualTo(stored));
    }
}
