using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>The rescue ISO of this host, read by independent tools: its boot records, its tree, its initramfs.</summary>
[Category("Oracle")]
public class RescueIsoContentTests
{
    [Test]
    public void ElToritoHasBiosAndUefiEntries_AndTheSystemAreaIsHybrid()
    {
        var report = ExternalTool.RunOk("xorriso", "xorriso", ["-indev", RescueIsoFixture.IsoPath, "-report_el_torito", "plain", "-report_system_area", "plain"]);

        Assert.That(report, Does.Match(@"El Torito boot img :\s+1\s+BIOS\s+y\s+none\s+0x0000\s+0x00\s+4\s+\d+"));
        Assert.That(report, Does.Match(@"El Torito boot img :\s+2\s+UEFI\s+y\s+none"));
        Assert.That(report, Does.Contain("El Torito img opts :   1  boot-info-table isohybrid-suitable"));
        Assert.That(report, Does.Contain("/isolinux/isolinux.bin"));
        Assert.That(report, Does.Contain("/boot/grub/efiboot.img"));
        Assert.That(report, Does.Match(@"MBR partition\s+:\s+2\s+0x00\s+0xef"));
        Assert.That(report, Does.Contain("GPT"));
    }

    [Test]
    public void TreeHoldsKernelInitramfsMenusAndEfiImage()
    {
        var listing = ExternalTool.RunOk("isoinfo", "genisoimage", ["-f", "-R", "-i", RescueIsoFixture.IsoPath]);

        Assert.That(listing.Split('\n').Select(l => l.Trim()), Is.SupersetOf(new[]
        {
            "/boot/vmlinuz", "/boot/initrd.img", "/boot/grub/grub.cfg", "/boot/grub/efiboot.img", "/isolinux/isolinux.bin",
            "/isolinux/isolinux.cfg", "/isolinux/ldlinux.c32", "/EFI/BOOT/BOOTX64.EFI", "/rescuekit/build.json",
        }));
    }

    /// <summary>
    /// The UEFI path is Debian's signed chain, byte for byte as Debian ships it, on the El Torito FAT image (read with
    /// mtools) and on the ISO 9660 tree: shim as the removable-media loader, signed GRUB beside it, and the config
    /// where signed GRUB's built-in prefix /EFI/debian points.
    /// </summary>
    [Test]
    public void UefiPathIsShimThenSignedGrubThenItsConfig()
    {
        var work = TestContext.CurrentContext.WorkDirectory;
        var tree = Path.Combine(work, "iso-efi");
        Directory.CreateDirectory(tree);
        ExternalTool.RunOk("bsdtar", "libarchive-tools", ["-x", "-f", RescueIsoFixture.IsoPath, "-C", tree, "boot/grub/efiboot.img", "EFI"]);
        var image = Path.Combine(tree, "boot/grub/efiboot.img");
        var expected = new Dictionary<string, string>
        {
            ["EFI/BOOT/BOOTX64.EFI"] = "/usr/lib/shim/shimx64.efi.signed",
            ["EFI/BOOT/grubx64.efi"] = "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed",
            ["EFI/BOOT/mmx64.efi"] = "/usr/lib/shim/mmx64.efi.signed",
        };
        foreach (var (path, host) in expected)
        {
            var fromFat = Path.Combine(work, "fat-" + Path.GetFileName(path));
            ExternalTool.RunOk("mcopy", "mtools", ["-n", "-i", image, "::/" + path, fromFat]);
            Assert.That(File.ReadAllBytes(fromFat), Is.EqualTo(File.ReadAllBytes(host)), $"{path} on the FAT image");
            Assert.That(File.ReadAllBytes(Path.Combine(tree, path)), Is.EqualTo(File.ReadAllBytes(host)), $"{path} on the ISO tree");
        }
        var config = ExternalTool.RunOk("mtype", "mtools", ["-i", image, "::/EFI/debian/grub.cfg"]);
        Assert.That(config, Does.Contain("search --no-floppy --set=root --label RESCUEKIT").And.Contain("configfile ($root)/boot/grub/grub.cfg"));
        Assert.That(File.ReadAllText(Path.Combine(tree, "EFI/debian/grub.cfg")), Is.EqualTo(config));
    }

    /// <summary>
    /// Under lockdown the kernel loads only modules whose appended signature matches: a module in the initramfs,
    /// decompressed, is the host's file byte for byte, signature trailer included (nothing stripped).
    /// </summary>
    [Test]
    public void ModulesKeepTheirSignatures()
    {
        var cpio = ExtractInitramfs();
        var work = TestContext.CurrentContext.WorkDirectory;
        var listing = ExternalTool.RunOk("sh", "dash", ["-c", $"cpio -it --quiet < '{cpio}'"]).Split('\n');
        var stored = listing.Single(l => l.EndsWith("/isofs.ko.zst", StringComparison.Ordinal));
        var host = Directory.GetFiles(InstalledKernel.ModulesDirectory, "isofs.ko*", SearchOption.AllDirectories).Single();
        Assert.That(host, Does.EndWith(".ko"), "this test reads an uncompressed host module (Debian 12)");
        var extracted = Path.Combine(work, "isofs.ko.zst");
        ExternalTool.RunOk("sh", "dash", ["-c", $"cpio -i --quiet --to-stdout '{stored}' < '{cpio}' > '{extracted}'"]);
        var module = Path.Combine(work, "isofs.ko");
        ExternalTool.RunOk("zstd", "zstd", ["-d", "-q", "-f", extracted, "-o", module]);

        var bytes = File.ReadAllBytes(module);
        Assert.That(bytes, Is.EqualTo(File.ReadAllBytes(host)));
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes[^28..]), Is.EqualTo("~Module signature appended~\n"));
    }

    [Test]
    public void InitramfsCarriesInitStagesToolsAndModules()
    {
        var cpio = ExtractInitramfs();

        var listing = ExternalTool.RunOk("sh", "dash", ["-c", $"cpio -it --quiet < '{cpio}'"]).Split('\n');

        Assert.That(listing, Does.Contain("init"));
        Assert.That(listing, Does.Contain("usr/bin/rescuekit"));
        Assert.That(listing, Does.Contain("etc/rescuekit/rescue.conf"));
        Assert.That(listing, Does.Contain("etc/rescuekit/tools.list"));
        Assert.That(listing.Where(l => l.StartsWith("usr/lib/rescuekit/init/stages/", StringComparison.Ordinal)).Count(),
            Is.EqualTo(Directory.GetFiles(Path.Combine(RepoPaths.InitScripts, "stages")).Length));
        Assert.That(listing.Any(l => l.EndsWith("/modules.dep", StringComparison.Ordinal)), Is.True, "modules.dep");
        Assert.That(listing.Any(l => l.EndsWith("/isofs.ko.zst", StringComparison.Ordinal)), Is.True, "isofs.ko.zst");
        Assert.That(listing.Any(l => l.EndsWith("/sr_mod.ko.zst", StringComparison.Ordinal)), Is.True, "sr_mod.ko.zst");
        Assert.That(listing.Any(l => l.Contains("ld-linux-x86-64.so.2", StringComparison.Ordinal)), Is.True, "the dynamic loader");
        Assert.That(listing.Any(l => l.Contains("libcrypto.so.3", StringComparison.Ordinal)), Is.True, "libcrypto for .NET hashing");
    }

    /// <summary>
    /// Modules that finding the medium does not need are symlinks into where 20-modules mounts the medium, and every
    /// one of them is on the ISO at that place; what finding a CD or USB stick needs is in the initramfs itself.
    /// </summary>
    [Test]
    public void ModulesOffTheInitramfsAreOnTheMediumWhereTheirLinksPoint()
    {
        const string mount = "/run/rescuekit/rescue-media/";
        var cpio = ExtractInitramfs();
        var verbose = ExternalTool.RunOk("sh", "dash", ["-c", $"cpio -itv --quiet < '{cpio}'"]).Split('\n');
        var conf = ExternalTool.RunOk("sh", "dash", ["-c", $"cpio -i --quiet --to-stdout etc/rescuekit/rescue.conf < '{cpio}'"]);
        var iso = ExternalTool.RunOk("isoinfo", "genisoimage", ["-f", "-R", "-i", RescueIsoFixture.IsoPath])
            .Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        // cpio -tv: "lrwxrwxrwx 1 root root 0 <date> usr/lib/modules/<v>/kernel/.../e1000.ko.zst -> /run/.../e1000.ko.zst"
        var links = verbose.Where(l => l.StartsWith('l') && l.Contains(".ko.zst -> ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(" -> ", StringComparison.Ordinal) + 4)..].Trim()).ToList();
        var files = verbose.Where(l => l.StartsWith('-') && l.EndsWith(".ko.zst", StringComparison.Ordinal))
            .Select(l => Path.GetFileName(l.Trim())).ToHashSet(StringComparer.Ordinal);

        Assert.That(conf, Does.Contain($"RK_RESCUE_MEDIA='{mount.TrimEnd('/')}'"));
        Assert.That(links, Has.Count.GreaterThan(100), "most modules of --modules host serve hardware this machine lacks");
        Assert.That(links, Has.All.StartWith(mount));
        Assert.That(links.Select(t => "/" + t[mount.Length..]).Where(p => !iso.Contains(p)), Is.Empty, "links with no file on the ISO");
        Assert.That(links.Select(Path.GetFileName), Does.Contain("e1000.ko.zst"), "NIC drivers wait for the medium");
        Assert.That(files, Is.SupersetOf(new[] { "isofs.ko.zst", "sr_mod.ko.zst", "ata_piix.ko.zst", "ahci.ko.zst", "usb-storage.ko.zst", "xhci-pci.ko.zst" }),
            "what finding a CD or a USB stick needs");
        Assert.That(conf, Does.Match(@"RK_ESSENTIAL_MODULES='[^']*\bsr_mod\b"));
    }

    private static string ExtractInitramfs()
    {
        var work = TestContext.CurrentContext.WorkDirectory;
        var initrd = Path.Combine(work, "initrd.img");
        ExternalTool.RunOk("bsdtar", "libarchive-tools", ["-x", "-f", RescueIsoFixture.IsoPath, "-C", work, "boot/initrd.img"]);
        File.Move(Path.Combine(work, "boot", "initrd.img"), initrd, overwrite: true);
        var cpio = Path.Combine(work, "initrd.cpio");
        ExternalTool.RunOk("zstd", "zstd", ["-d", "-q", "-f", initrd, "-o", cpio]);
        return cpio;
    }
}
