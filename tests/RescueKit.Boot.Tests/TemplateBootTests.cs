using System.Text.RegularExpressions;
using NUnit.Framework;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// Boots a hybrid ISO made by xorriso from templates/isolinux.cfg and templates/grub.cfg (placeholders filled as
/// the integrator will) with the init-scripts initramfs, under SeaBIOS and under OVMF, and follows the default
/// menu entry to the front-end.
/// </summary>
[Category("Boot")]
public sealed class TemplateBootTests
{
    private const string CmdLine = "console=tty0 console=ttyS0,115200";
    private const string SyslinuxModules = "/usr/lib/syslinux/modules/bios";
    private static readonly TimeSpan FirstStage = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(90);

    private string _iso = "";

    [OneTimeSetUp]
    public void BuildIso()
    {
        VmLab.RequireQemu();
        var xorriso = HostTool.Require("xorriso", "xorriso");
        var grubMkimage = HostTool.Require("grub-mkimage", "grub-common");
        var mkfsFat = HostTool.Require("mkfs.fat", "dosfstools");
        var mmd = HostTool.Require("mmd", "mtools");
        var mcopy = HostTool.Require("mcopy", "mtools");
        if (!File.Exists("/usr/lib/ISOLINUX/isolinux.bin")) Assert.Fail("/usr/lib/ISOLINUX/isolinux.bin not found: apt-get install isolinux");
        if (!File.Exists($"{SyslinuxModules}/menu.c32")) Assert.Fail($"{SyslinuxModules}/menu.c32 not found: apt-get install syslinux-common");
        if (!Directory.Exists("/usr/lib/grub/x86_64-efi")) Assert.Fail("/usr/lib/grub/x86_64-efi not found: apt-get install grub-efi-amd64-bin");

        var dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "template-boot");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var tree = Path.Combine(dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "boot", "grub"));
        Directory.CreateDirectory(Path.Combine(tree, "isolinux"));
        InitScriptsImage.Build(dir, Path.Combine(tree, "boot", "initrd.img"));
        File.Copy(VmLab.KernelPath, Path.Combine(tree, "boot", "vmlinuz"));

        File.Copy("/usr/lib/ISOLINUX/isolinux.bin", Path.Combine(tree, "isolinux", "isolinux.bin"));
        foreach (var module in new[] { "ldlinux.c32", "menu.c32", "libutil.c32" })
            File.Copy(Path.Combine(SyslinuxModules, module), Path.Combine(tree, "isolinux", module));
        File.WriteAllText(Path.Combine(tree, "isolinux", "isolinux.cfg"), Fill("isolinux.cfg"));
        File.WriteAllText(Path.Combine(tree, "boot", "grub", "grub.cfg"), Fill("grub.cfg"));

        // The El Torito EFI image: a FAT file system holding GRUB as the removable-media loader. GRUB starts with
        // its root on that FAT (USB) or on the CD; the embedded config points it at the ISO 9660 tree either way.
        var bootx64 = Path.Combine(dir, "BOOTX64.EFI");
        var early = Path.Combine(dir, "early.cfg");
        File.WriteAllText(early, $"search --no-floppy --set=root --label {InitScriptsImage.Label}\nset prefix=($root)/boot/grub\n");
        HostTool.Run(grubMkimage, ["-O", "x86_64-efi", "-p", "/boot/grub", "-c", early, "-o", bootx64,
            "search", "search_label", "iso9660", "fat", "part_gpt", "part_msdos", "linux", "serial", "terminal",
            "normal", "configfile", "echo"]);
        var efiboot = Path.Combine(tree, "efiboot.img");
        HostTool.Run(mkfsFat, ["-C", efiboot, "4096"]);
        HostTool.Run(mmd, ["-i", efiboot, "::/EFI", "::/EFI/BOOT"]);
        HostTool.Run(mcopy, ["-i", efiboot, bootx64, "::/EFI/BOOT/BOOTX64.EFI"]);

        _iso = Path.Combine(dir, "rescue.iso");
        HostTool.Run(xorriso, ["-as", "mkisofs", "-quiet", "-V", InitScriptsImage.Label, "-o", _iso,
            "-isohybrid-mbr", "/usr/lib/ISOLINUX/isohdpfx.bin",
            "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
            "-eltorito-alt-boot", "-e", "efiboot.img", "-no-emul-boot", "-isohybrid-gpt-basdat", tree]);
    }

    [Test]
    public void BiosCdShowsTheIsolinuxMenuOnSerialAndBootsTheDefaultEntry()
    {
        using var vm = QemuMachine.Create("bios-cd").WithCdrom(_iso).Build().Start();

        // menu.c32 paints the hotkey letter (the N of Nuke) in its own colour, so match what follows it.
        vm.WaitFor("uke: automatic restore (overwrites disks)", FirstStage);
        var menuAt = vm.Elapsed;
        AssertBootsInteractive(vm);
        TestContext.Out.WriteLine($"SeaBIOS CD: menu at {menuAt.TotalSeconds:0.0} s, front-end at {vm.Elapsed.TotalSeconds:0.0} s (5 s menu timeout)");
    }

    [Test]
    public void UefiCdShowsTheGrubMenuOnSerialAndBootsTheDefaultEntry()
    {
        using var vm = QemuMachine.Create("uefi-cd").WithFirmware(QemuFirmware.Ovmf).WithCdrom(_iso).Build().Start();

        vm.WaitFor($"RescueKit {InitScriptsImage.Version}: nuke (automatic restore", FirstStage);
        var menuAt = vm.Elapsed;
        AssertBootsInteractive(vm);
        TestContext.Out.WriteLine($"OVMF CD: menu at {menuAt.TotalSeconds:0.0} s, front-end at {vm.Elapsed.TotalSeconds:0.0} s (5 s menu timeout)");
    }

    [Test]
    public void BiosUsbStickShowsTheIsolinuxMenuAndBootsTheDefaultEntry()
    {
        using var vm = QemuMachine.Create("bios-usb").WithBootDisk(CopyOfIso()).Build().Start();

        vm.WaitFor("uke: automatic restore (overwrites disks)", FirstStage);
        AssertBootsInteractive(vm, "/dev/sda");
        TestContext.Out.WriteLine($"SeaBIOS disk: front-end at {vm.Elapsed.TotalSeconds:0.0} s (5 s menu timeout)");
    }

    [Test]
    public void UefiUsbStickShowsTheGrubMenuAndBootsTheDefaultEntry()
    {
        using var vm = QemuMachine.Create("uefi-usb").WithFirmware(QemuFirmware.Ovmf).WithBootDisk(CopyOfIso()).Build().Start();

        vm.WaitFor($"RescueKit {InitScriptsImage.Version}: nuke (automatic restore", FirstStage);
        AssertBootsInteractive(vm, "/dev/sda");
        TestContext.Out.WriteLine($"OVMF disk: front-end at {vm.Elapsed.TotalSeconds:0.0} s (5 s menu timeout)");
    }

    // A writable copy, as a USB stick would be; QEMU locks the image it boots from.
    private string CopyOfIso()
    {
        var copy = Path.Combine(TestContext.CurrentContext.WorkDirectory, "template-boot", $"{TestContext.CurrentContext.Test.Name}.img");
        File.Copy(_iso, copy, overwrite: true);
        return copy;
    }

    private static void AssertBootsInteractive(QemuMachine vm, string mediaDevice = "/dev/sr0")
    {
        vm.WaitFor("[rk] stage 10-devices: ok", FirstStage);
        // A hybrid image carries the ISO 9660 volume on the whole disk and on its first partition; either is the media.
        vm.WaitFor(new Regex($@"\[rk\] stage 40-media: ok \({mediaDevice}1?, no backup on the media\)"), Step);
        vm.WaitFor("RescueKit 0.0.0 restore (mode: interactive)", Step);
        var cmdline = vm.WaitFor(new Regex("stub cmdline: ([^\n]*)\n"), Step).Groups[1].Value;
        Assert.That(cmdline, Does.Contain($"{CmdLine} rk.mode=interactive"));
        Assert.That(cmdline, Does.Not.Contain("@"), "a placeholder was left unfilled");
    }

    private static string Fill(string template) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "templates", template))
            .Replace("@VERSION@", InitScriptsImage.Version, StringComparison.Ordinal)
            .Replace("@LABEL@", InitScriptsImage.Label, StringComparison.Ordinal)
            .Replace("@CMDLINE@", CmdLine, StringComparison.Ordinal);
}
