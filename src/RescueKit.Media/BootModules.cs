using RescueKit.Core;
using RescueKit.Discovery;

namespace RescueKit.Media;

/// <summary>
/// Which of the rescue system's modules the initramfs holds and which stay on the rescue medium. Every byte of the
/// initramfs is read by the boot loader through the firmware and unpacked by the kernel before /init runs (under QEMU
/// TCG about 80 ms per compressed MB), while most modules of <see cref="ModuleSelection.Host"/> serve hardware the
/// machine does not have. The initramfs therefore holds what finding the medium and typing at a shell need, plus the
/// modules loaded on the host now (its own controllers and NICs); every other module is a symlink into the medium,
/// which 20-modules mounts on <see cref="RescueMediaMount"/> as soon as it appears (docs/mkrescue.md, docs/init.md).
/// </summary>
internal static class BootModules
{
    /// <summary>Where init mounts the medium it booted from; the symlinks of the modules kept there point below it.</summary>
    public const string RescueMediaMount = RescuePaths.RescueMediaMount;

    /// <summary>The medium's directory of the modules the initramfs does not hold (one flat directory: module names are unique).</summary>
    public const string MediaModulesDirectory = "rescuekit/modules";

    /// <summary>The medium's copy of the firmware those modules name, under its path in the rescue tree.</summary>
    public const string MediaFirmwareDirectory = "rescuekit/firmware";

    /// <summary>
    /// Path prefixes (as in modules.dep) of what the initramfs holds whole: the disk, CD, USB, NVMe, SD and virtio
    /// controllers a medium can sit behind, the file systems of the medium, and a generic USB keyboard.
    /// SCSI host adapters, NICs and the file systems of the disks wait for the medium.
    /// </summary>
    public static readonly IReadOnlyList<string> Families =
    [
        "kernel/drivers/ata/", "kernel/drivers/cdrom/", "kernel/drivers/nvme/host/", "kernel/drivers/mmc/", "kernel/drivers/usb/",
        "kernel/drivers/virtio/", "kernel/drivers/block/virtio_blk.ko", "kernel/drivers/scsi/virtio_scsi.ko",
        "kernel/drivers/net/virtio_net.ko", "kernel/drivers/char/virtio_console.ko",
        "kernel/drivers/hid/hid.ko", "kernel/drivers/hid/hid-generic.ko", "kernel/drivers/hid/usbhid/",
        "kernel/fs/isofs/", "kernel/fs/fat/", "kernel/fs/nls/",
        // /init mounts efivarfs beside sysfs, so the Secure Boot state is there before any stage (SecureBootState).
        "kernel/fs/efivarfs/",
    ];

    /// <summary>
    /// The initramfs part of <paramref name="all"/>: the closure of <see cref="RescueTools.EssentialModules"/>, of the
    /// <see cref="Families"/> members of <paramref name="all"/> and of the modules loaded on the host now.
    /// </summary>
    public static ModuleSet Select(ModuleSet all, ModuleClosure closure, KernelImage kernel, string hostRoot)
    {
        var names = all.Modules.Select(ModuleName).ToHashSet(StringComparer.Ordinal);
        var start = new List<string>(RescueTools.EssentialModules);
        start.AddRange(all.Modules.Where(m => Families.Any(f => m.StartsWith(f, StringComparison.Ordinal))).Select(ModuleName));
        // Loaded modules that are not modules of this kernel (another kernel runs the host: containers) are left out.
        start.AddRange(LoadedModules(hostRoot).Select(ModuleName).Where(names.Contains));
        return closure.Resolve(kernel, ModuleSelection.None, start.Distinct(StringComparer.Ordinal), hostRoot);
    }

    /// <summary>kernel/fs/ext4/ext4.ko → ext4; hid-generic stays hid-generic (modprobe treats - and _ alike).</summary>
    public static string ModuleName(string relativePath)
    {
        var name = Path.GetFileName(relativePath);
        var ko = name.IndexOf(".ko", StringComparison.Ordinal);
        return (ko < 0 ? name : name[..ko]).Replace('-', '_');
    }

    private static IEnumerable<string> LoadedModules(string hostRoot)
    {
        var path = Path.Join(hostRoot, "proc", "modules");
        return File.Exists(path) ? File.ReadLines(path).Select(l => l.Split(' ', 2)[0]).Where(n => n.Length > 0).ToList() : [];
    }
}
