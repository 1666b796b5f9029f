using NUnit.Framework;
using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Discovery.Tests;

/// <summary>The closure on this host's installed kernel tree, checked against kmod's modprobe as an oracle.</summary>
[Category("Oracle")]
public class ModuleClosureHostTests
{
    private static readonly string Version = RescueKit.Tests.Shared.InstalledKernel.Version;
    private static readonly string ModulesDirectory = $"/lib/modules/{Version}";
    private static readonly KernelImage Kernel = new(Version, $"/boot/vmlinuz-{Version}", ModulesDirectory, false, null);

    private static ModuleClosure Closure() => new(Serilog.Core.Logger.None);

    [TestCase("ext4")]
    [TestCase("raid1")]
    [TestCase("dm_crypt")]
    [TestCase("virtio_blk")]
    [TestCase("isofs")]
    [TestCase("vfat")]
    [TestCase("libcrc32c")]
    public void Closure_OfOneModule_EqualsModprobeShowDepends(string module)
    {
        var expected = ModprobeShowDepends(module);

        var set = Closure().Resolve(Kernel, ModuleSelection.None, [module]);

        Assert.That(set.Modules, Is.EquivalentTo(expected));
    }

    /// <summary>btrfs declares four "softdep=pre: X" entries; kmod 30 honours only the first softdep line that
    /// matches a module, so modprobe leaves out sha256 and xxhash64. RescueKit takes all four on purpose.</summary>
    [Test]
    public void Closure_OfBtrfs_IsModprobesPlusTheSoftDepsKmodDrops()
    {
        var expected = ModprobeShowDepends("btrfs");

        var set = Closure().Resolve(Kernel, ModuleSelection.None, ["btrfs"]);

        Assert.That(set.Modules.Except(expected), Is.EquivalentTo(new[]
        {
            "kernel/arch/x86/crypto/sha256-ssse3.ko", "kernel/crypto/xxhash_generic.ko",
        }));
        Assert.That(expected, Is.SubsetOf(set.Modules));
    }

    [Test]
    public void Closure_OfExt4_IncludesTheCrc32cSoftDependencies()
    {
        var set = Closure().Resolve(Kernel, ModuleSelection.None, ["ext4"]);
        Assert.That(set.Modules, Does.Contain("kernel/crypto/crc32c_generic.ko"));
        Assert.That(set.Modules, Does.Contain("kernel/arch/x86/crypto/crc32c-intel.ko"));
    }

    [Test]
    public void All_EqualsEveryLineOfModulesDep()
    {
        var lines = File.ReadLines(Path.Join(ModulesDirectory, "modules.dep")).Count();

        var set = Closure().Resolve(Kernel, ModuleSelection.All);

        Assert.That(set.Modules, Has.Count.EqualTo(lines));
        Assert.That(set.MetadataFiles, Is.EqualTo(new[] { "modules.order", "modules.builtin", "modules.builtin.modinfo" }));
    }

    [Test]
    public void Host_IsAStrictSubsetHoldingTheRescueEssentials()
    {
        var all = Closure().Resolve(Kernel, ModuleSelection.All).Modules;

        var host = Closure().Resolve(Kernel, ModuleSelection.Host).Modules;

        Assert.That(host, Is.SubsetOf(all));
        Assert.That(host.Count, Is.LessThan(all.Count));
        var names = host.Select(Path.GetFileName).ToHashSet();
        foreach (var m in new[] { "sr_mod", "isofs", "virtio_blk", "ahci", "nvme", "raid1", "dm-mod", "e1000", "vfat",
                     "dm-crypt", "xfs", "nfsv4", "virtio_net", "usbhid", "xhci-pci", "usb-storage", "9p" })
            Assert.That(names, Does.Contain(m + ".ko"));
        Assert.That(names, Does.Not.Contain("snd-hda-intel.ko"));
    }

    [Test]
    public void Firmware_NamedByAModule_IsListedAsMissingWhenNotInstalled()
    {
        var expected = Modinfo("-F", "firmware", "e100").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(expected, Is.Not.Empty);

        var set = Closure().Resolve(Kernel, ModuleSelection.None, ["e100"]);

        Assert.That(set.MissingFirmware, Is.EquivalentTo(expected));
        Assert.That(set.Firmware, Is.Empty);
    }

    [Test]
    public void ExtraName_GivenAsAlias_IsResolved()
    {
        var set = Closure().Resolve(Kernel, ModuleSelection.None, ["fs-vfat"]);
        Assert.That(set.Modules, Does.Contain("kernel/fs/fat/vfat.ko"));
    }

    [Test]
    public void ExtraName_Unknown_IsBadInput()
    {
        var e = Assert.Throws<BadInputException>(() => Closure().Resolve(Kernel, ModuleSelection.None, ["no_such_module_rk"]));
        Assert.That(e!.Message, Does.Contain("no_such_module_rk"));
    }

    private static List<string> ModprobeShowDepends(string module)
    {
        var output = ExternalTool.RunOk("modprobe", "kmod", ["--set-version", Version, "--show-depends", module]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.Not.Empty, $"modprobe printed nothing for {module}");
        return lines.Where(l => l.StartsWith("insmod ", StringComparison.Ordinal))
            .Select(l => Path.GetRelativePath(ModulesDirectory, l["insmod ".Length..].Trim().Split(' ')[0]))
            .Distinct().ToList();
    }

    private static string Modinfo(params string[] args) => ExternalTool.RunOk("modinfo", "kmod", ["--set-version", Version, .. args]);
}
