using NUnit.Framework;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// Regenerates the layout fixtures (tests/RescueKit.Discovery.Tests/Fixtures/layout/README.md): each case builds one
/// storage configuration in the VM lab with tests/vm/fixtures/&lt;config&gt;.sh and copies what the storage tools
/// printed about it into the fixture directory. Explicit: it rewrites committed files with new UUIDs, so it runs only
/// when asked (<c>dotnet test tests/RescueKit.Boot.Tests --filter Category=capture</c>).
/// </summary>
[Explicit("rewrites the committed layout fixtures")]
[Category("capture")]
public sealed class LayoutFixtureCapture
{
    private const long MiB = 1024 * 1024;

    private static readonly string[] Md = ["md_mod", "raid1", "raid456"];
    private static readonly string[] Dm = ["dm_mod", "dm_thin_pool", "dm_snapshot"];
    private static readonly string[] Crypt = ["dm_mod", "dm_crypt", "xts", "ecb", "af_alg", "algif_skcipher"];
    private static readonly string[] Filesystems = ["ext4", "xfs", "btrfs", "crc32c_generic", "vfat", "nls_cp437", "nls_iso8859_1", "nls_utf8", "nls_ascii"];

    /// <summary>
    /// One configuration: its guest script's name, its disks, the modules it needs beyond the filesystems, and the
    /// firmware the lab boots. With <paramref name="SecondBoot"/> (OVMF), &lt;name&gt;.sh only builds the configuration and
    /// its NVRAM entries; the lab then boots again from NVRAM, and &lt;name&gt;.second-boot.sh runs before the capture.
    /// </summary>
    public sealed record Configuration(string Name, (long Bytes, DiskBus Bus)[] Disks, string[] Modules,
        QemuFirmware Firmware = QemuFirmware.SeaBios, bool SecondBoot = false)
    {
        public override string ToString() => Name;
    }

    private static (long, DiskBus)[] Virtio(params long[] mebibytes) => [.. mebibytes.Select(m => (m * MiB, DiskBus.Virtio))];

    public static IEnumerable<Configuration> Configurations() =>
    [
        new("gpt-esp", Virtio(256), []),
        new("raid1", Virtio(128, 128), Md),
        new("raid5", Virtio(200, 200, 200, 200), Md),
        new("lvm", Virtio(600, 600), Dm),
        new("luks2", Virtio(128), Crypt),
        new("btrfs", Virtio(256), []),
        new("mbr-logical", Virtio(384), []),
        new("nvme", [(128 * MiB, DiskBus.Nvme)], []),
        new("uefi", Virtio(256), ["efivarfs"], QemuFirmware.Ovmf, SecondBoot: true),
    ];

    public static string FixtureDirectory(string configuration) =>
        Path.Combine(RepoPaths.Root, "tests", "RescueKit.Discovery.Tests", "Fixtures", "layout", configuration);

    [TestCaseSource(nameof(Configurations))]
    public void Capture(Configuration configuration)
    {
        VmLab.RequireQemu();
        foreach (var (tool, package) in new[]
                 {
                     ("sfdisk", "fdisk"), ("lsblk", "util-linux"), ("mdadm", "mdadm"), ("lvm", "lvm2"),
                     ("thin_check", "thin-provisioning-tools"), ("cryptsetup", "cryptsetup-bin"),
                     ("mkfs.xfs", "xfsprogs"), ("mkfs.btrfs", "btrfs-progs"), ("mkfs.vfat", "dosfstools"),
                     ("dumpe2fs", "e2fsprogs"), ("efibootmgr", "efibootmgr"),
                 })
            ExternalTool.Require(tool, package);
        var scripts = Path.Combine(RepoPaths.VmDirectory, "fixtures");
        var helpers = File.ReadAllText(Path.Combine(scripts, "capture.sh")) + "\n";
        var build = File.ReadAllText(Path.Combine(scripts, configuration.Name + ".sh"));
        using var lab = new VmLab(configuration.Name, [.. configuration.Modules.Concat(Filesystems).Distinct()])
        {
            Firmware = configuration.Firmware,
        };
        foreach (var (bytes, bus) in configuration.Disks) lab.AddBlankDisk(bytes, bus);

        int exit;
        if (configuration.SecondBoot)
        {
            exit = lab.Run($"LAB_KERNEL={VmLab.KernelPath}\nLAB_INITRAMFS={lab.InitramfsImage}\n" + helpers + build, TimeSpan.FromMinutes(10));
            Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));
            var firstBoot = lab.ReadResult("how.txt");
            exit = lab.Run(helpers + File.ReadAllText(Path.Combine(scripts, configuration.Name + ".second-boot.sh")) + "\ncapture_all\n",
                TimeSpan.FromMinutes(4), fromNvram: true);
            var secondBoot = lab.ReadResult("how.txt").Split('\n').SkipWhile(line => line.StartsWith('#'));
            File.WriteAllText(Path.Combine(lab.ResultsDirectory, "how.txt"),
                firstBoot + "# Powered off. OVMF boots again, without -kernel, the entry BootNext names.\n" + string.Join('\n', secondBoot));
        }
        else
        {
            exit = lab.Run(helpers + build + "\ncapture_all\n", TimeSpan.FromMinutes(10));
        }

        var log = lab.ReadResult("output.log");
        TestContext.Out.WriteLine(log);
        Assert.That(exit, Is.EqualTo(0), log);
        // commands.txt: "<exit status>\t<file>\t<command>" for every capture; capture.sh already stops at the first
        // failure, this checks the files arrived on the host intact.
        var captured = lab.ReadResult("commands.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')).ToList();
        Assert.That(captured.Select(c => c[1]), Is.SupersetOf(new[] { "lsblk.json", "blkid.txt", "mountinfo.txt", "swaps.txt" }));
        foreach (var c in captured)
        {
            Assert.That(c[0], Is.EqualTo("0"), $"{c[2]} exited {c[0]}");
            // A list of read-only btrfs subvolumes is empty when there are none.
            if (!c[1].StartsWith("btrfs-subvolume-list-readonly-", StringComparison.Ordinal))
                Assert.That(new FileInfo(Path.Combine(lab.ResultsDirectory, c[1])).Length, Is.GreaterThan(0), $"{c[1]} is empty");
        }

        var target = FixtureDirectory(configuration.Name);
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.CreateDirectory(target);
        foreach (var file in captured.Select(c => c[1]).Append("how.txt").Append("commands.txt"))
            File.Copy(Path.Combine(lab.ResultsDirectory, file), Path.Combine(target, file));
        TestContext.Out.WriteLine($"{configuration.Name}: {captured.Count} captures in {target}, "
                                  + $"lab run {lab.Machine!.Elapsed.TotalSeconds:0.0} s");
    }
}
