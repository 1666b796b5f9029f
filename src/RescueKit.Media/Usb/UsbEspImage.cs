using System.Text;
using RescueKit.Core;
using RescueKit.Formats.Fat;
using RescueKit.Media.Steps;

namespace RescueKit.Media.Usb;

/// <summary>
/// The FAT32 file system of one boot slot: the UEFI boot image's files (EFI/BOOT/…, from <see cref="BuildEfiImageStep"/>),
/// GRUB's menu, the SYSLINUX menu and modules (ldlinux.sys and ldlinux.c32 are written by the syslinux installer),
/// the kernel and initramfs and the medium's files (modules and firmware kept off the initramfs), labelled as the ISO
/// would be, so GRUB's search, 20-modules and 40-media find the stick as they find the CD.
/// </summary>
internal static class UsbEspImage
{
    /// <summary>Where SYSLINUX is installed (syslinux --directory) and looks for syslinux.cfg first.</summary>
    public const string SyslinuxDirectory = "syslinux";

    /// <summary>The marker file naming the stick and its slot (docs/usb.md).</summary>
    public const string MarkerPath = "rescuekit/usb.json";

    /// <summary>The ESP of <paramref name="slot"/>, at least <paramref name="slotBytes"/> (0: as small as the content allows).</summary>
    public static FatImageBuilder Compose(BuildContext context, int slot, long slotBytes, long slotStart)
    {
        var config = context.Config;
        if (config.Label.Length > 11)
            throw new BadInputException($"--label '{config.Label}' has {config.Label.Length} characters; a USB stick's FAT label holds at most 11: use a shorter one");
        var fat = new FatImageBuilder(config.Label, (uint)context.EpochSeconds ^ (uint)slot, config.Timestamp.UtcDateTime)
        {
            Type = FatType.Fat32,
            MinimumSizeBytes = slotBytes == 0 ? null : slotBytes,
            // BPB_HiddSec: the sectors before the partition, which SYSLINUX's boot sector adds to find ldlinux.sys.
            HiddenSectors = (uint)(slotStart / 512),
        };
        foreach (var (path, host) in context.EspFiles) fat.AddFile(path, host);
        fat.AddFile("boot/vmlinuz", context.Kernel!.ImagePath);
        fat.AddFile("boot/initrd.img", context.InitramfsPath!);
        fat.AddFile("boot/grub/grub.cfg", Encoding.UTF8.GetBytes(BootMenus.Grub(config)));
        fat.AddFile($"{SyslinuxDirectory}/syslinux.cfg", Encoding.UTF8.GetBytes(BootMenus.Isolinux(config)));
        foreach (var m in BootFiles.IsolinuxModules.Where(m => m != "ldlinux.c32"))
            fat.AddFile($"{SyslinuxDirectory}/{m}", Path.Combine(context.BootFiles!.SyslinuxModules, m));
        fat.AddFile("rescuekit/build.json", Encoding.UTF8.GetBytes(WriteIsoStep.BuildInfo(context)));
        fat.AddFile(MarkerPath, Encoding.UTF8.GetBytes(
            $"{{\n  \"formatVersion\": 1,\n  \"slot\": {slot},\n  \"built\": \"{config.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\",\n" +
            $"  \"dataLabel\": \"{UsbLayout.DataLabel}\"\n}}\n"));
        foreach (var (path, host) in context.MediaFiles) fat.AddFile(path, host);
        return fat;
    }
}
