using System.IO.Compression;
using NUnit.Framework;
using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Discovery.Tests;

/// <summary>The closure on a hand-made modules tree, for the edge cases a real kernel tree does not show on demand.</summary>
public class ModuleClosureSyntheticTests
{
    private const string Version = "9.9.9-test";
    private FakeTree tree = null!;
    private KernelImage kernel = null!;

    [SetUp]
    public void SetUp()
    {
        tree = new FakeTree();
        var dir = tree.Dir($"/lib/modules/{Version}");
        kernel = new KernelImage(Version, tree.PathOf($"/boot/vmlinuz-{Version}"), dir, false, null);
        Dep(
            "kernel/fs/alpha/alpha.ko: kernel/lib/beta.ko",
            "kernel/lib/beta.ko:",
            "kernel/lib/gamma.ko:",
            "kernel/lib/delta-x.ko:",
            "kernel/drivers/net/ethernet/nic.ko:",
            "kernel/sound/noise.ko:");
        Module("kernel/fs/alpha/alpha.ko", "name=alpha", "firmware=vendor/present.bin", "firmware=vendor/packed.bin", "firmware=absent.bin");
        Module("kernel/lib/beta.ko", "name=beta");
        Module("kernel/lib/gamma.ko", "name=gamma", "softdep=post: alpha"); // gamma -> alpha -> (pre) gamma: a cycle
        Module("kernel/lib/delta-x.ko", "name=delta_x");
        Module("kernel/drivers/net/ethernet/nic.ko", "name=nic");
        Module("kernel/sound/noise.ko", "name=noise");
        Meta("modules.softdep", "# comment\nsoftdep alpha pre: crypto-g not-a-module-anywhere\nsoftdep beta unprefixed-ignored\n");
        Meta("modules.alias", "alias crypto-g gamma\nalias pci:v00008086d*sv* nic\n");
        Meta("modules.builtin", "kernel/fs/ext4/ext4.ko\n");
        Meta("modules.builtin.modinfo", "crc32c_generic.alias=crypto-crc32c\0crc32c_generic.license=GPL\0");
        Meta("modules.order", "kernel/fs/alpha/alpha.ko\n");
        tree.File("/lib/firmware/vendor/present.bin", "fw");
        tree.File("/lib/firmware/vendor/packed.bin.xz", "fw");
    }

    [TearDown]
    public void TearDown() => tree.Dispose();

    private static ModuleClosure Closure() => new(Serilog.Core.Logger.None);

    [Test]
    public void SoftDepCycle_Terminates_AndIncludesBothSides()
    {
        var set = Closure().Resolve(kernel, ModuleSelection.None, ["gamma"], tree.Root);

        Assert.That(set.Modules, Is.EqualTo(new[] { "kernel/fs/alpha/alpha.ko", "kernel/lib/beta.ko", "kernel/lib/gamma.ko" }));
    }

    [Test]
    public void Firmware_PresentPlainOrCompressed_IsIncluded_AbsentIsReported()
    {
        var set = Closure().Resolve(kernel, ModuleSelection.None, ["alpha"], tree.Root);

        Assert.That(set.Firmware, Is.EqualTo(new[]
        {
            tree.PathOf("/lib/firmware/vendor/packed.bin.xz"), tree.PathOf("/lib/firmware/vendor/present.bin"),
        }));
        Assert.That(set.MissingFirmware, Is.EqualTo(new[] { "absent.bin" }));
        Assert.That(set.MetadataFiles, Is.EqualTo(new[] { "modules.order", "modules.builtin", "modules.builtin.modinfo" }));
    }

    [Test]
    public void Firmware_Symlink_IsIncludedWithItsTarget_VersionedUpdatesDirectoryWins()
    {
        tree.File($"/lib/firmware/updates/{Version}/vendor/present.bin", "newer");
        tree.File("/lib/firmware/blobs/absent-1.0.bin", "x");
        tree.Symlink("/lib/firmware/absent.bin", "blobs/absent-1.0.bin");

        var set = Closure().Resolve(kernel, ModuleSelection.None, ["alpha"], tree.Root);

        Assert.That(set.Firmware, Does.Contain(tree.PathOf($"/lib/firmware/updates/{Version}/vendor/present.bin")));
        Assert.That(set.Firmware, Does.Not.Contain(tree.PathOf("/lib/firmware/vendor/present.bin")));
        Assert.That(set.Firmware, Does.Contain(tree.PathOf("/lib/firmware/absent.bin")));
        Assert.That(set.Firmware, Does.Contain(tree.PathOf("/lib/firmware/blobs/absent-1.0.bin")));
        Assert.That(set.MissingFirmware, Is.Empty);
    }

    [Test]
    public void BuiltinNamesAndAliases_NeedNoFile_AndAreNoError()
    {
        var set = Closure().Resolve(kernel, ModuleSelection.None, ["ext4", "crypto-crc32c"], tree.Root);
        Assert.That(set.Modules, Is.Empty);
    }

    [Test]
    public void Aliases_ExactAndGlob_ResolveToTheirModules()
    {
        var set = Closure().Resolve(kernel, ModuleSelection.None, ["pci:v00008086d000010D3sv00001234", "delta-x"], tree.Root);
        Assert.That(set.Modules, Is.EqualTo(new[] { "kernel/drivers/net/ethernet/nic.ko", "kernel/lib/delta-x.ko" }));
    }

    [Test]
    public void MissingModuleFile_IsAClearError()
    {
        File.Delete(Path.Join(kernel.ModulesDirectory, "kernel/lib/beta.ko"));

        var e = Assert.Throws<MissingPrerequisiteException>(() => Closure().Resolve(kernel, ModuleSelection.None, ["alpha"], tree.Root));

        Assert.That(e!.Message, Does.Contain("kernel/lib/beta.ko"));
        Assert.That(e.DebianPackage, Is.EqualTo($"linux-image-{Version}"));
    }

    [Test]
    public void CorruptModuleFile_IsInvalidDataNamingTheFile()
    {
        File.WriteAllText(Path.Join(kernel.ModulesDirectory, "kernel/lib/beta.ko"), "not elf");
        var e = Assert.Throws<InvalidDataException>(() => Closure().Resolve(kernel, ModuleSelection.None, ["beta"], tree.Root));
        Assert.That(e!.Message, Does.Contain("beta.ko"));
    }

    [Test]
    public void Host_TakesFamiliesAndLoadedModules_DashAndUnderscoreAlike()
    {
        tree.File("/proc/modules", "delta_x 16384 0 - Live 0x0\nnot_in_this_kernel 1 0 - Live 0x0\n");

        var set = Closure().Resolve(kernel, ModuleSelection.Host, root: tree.Root);

        Assert.That(set.Modules, Is.EqualTo(new[] { "kernel/drivers/net/ethernet/nic.ko", "kernel/lib/delta-x.ko" }));
    }

    [Test]
    public void All_TakesEveryModule()
    {
        var set = Closure().Resolve(kernel, ModuleSelection.All, root: tree.Root);
        Assert.That(set.Modules, Has.Count.EqualTo(6));
    }

    [TestCase("gz")]
    [TestCase("xz")]
    [TestCase("zst")]
    public void CompressedModules_AreReadThroughTheirDecompressor(string compression)
    {
        var plain = Path.Join(kernel.ModulesDirectory, "kernel/fs/alpha/alpha.ko");
        var packed = $"{plain}.{compression}";
        if (compression == "gz")
        {
            using var output = new GZipStream(File.Create(packed), CompressionLevel.Fastest);
            output.Write(File.ReadAllBytes(plain));
        }
        else
            ExternalTool.RunOk(compression == "xz" ? "xz" : "zstd", compression == "xz" ? "xz-utils" : "zstd", ["--keep", "--quiet", plain]);
        File.Delete(plain);
        Dep(File.ReadAllText(Path.Join(kernel.ModulesDirectory, "modules.dep")).Replace("alpha.ko:", $"alpha.ko.{compression}:"));

        var set = Closure().Resolve(kernel, ModuleSelection.None, ["alpha"], tree.Root);

        Assert.That(set.Modules, Does.Contain($"kernel/fs/alpha/alpha.ko.{compression}"));
        Assert.That(set.MissingFirmware, Is.EqualTo(new[] { "absent.bin" }), "the firmware list comes from the decompressed .modinfo");
    }

    private void Dep(params string[] lines) => Meta("modules.dep", string.Join('\n', lines) + "\n");

    private void Meta(string name, string content) => File.WriteAllText(Path.Join(kernel.ModulesDirectory, name), content);

    private void Module(string relative, params string[] modinfo) =>
        tree.File($"/lib/modules/{Version}/{relative}", TestModule.Build(modinfo));
}
