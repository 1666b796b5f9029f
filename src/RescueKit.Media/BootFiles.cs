namespace RescueKit.Media;

/// <summary>The boot loader files a hybrid BIOS+UEFI medium is made from, as the host's Debian packages install them.</summary>
internal sealed record BootFiles(
    string IsolinuxBin,
    string IsohybridMbr,
    string GptMbr,
    string SyslinuxModules,
    string GrubEfiModules)
{
    /// <summary>ISOLINUX modules the menu needs besides isolinux.bin (syslinux 6: ldlinux.c32 always).</summary>
    public static readonly string[] IsolinuxModules = ["ldlinux.c32", "menu.c32", "libutil.c32", "libcom32.c32"];

    /// <summary>GRUB modules built into BOOTX64.EFI: enough to find the medium by label and boot Linux on VGA and serial.</summary>
    public static readonly string[] GrubModules =
    [
        "part_gpt", "part_msdos", "iso9660", "fat", "normal", "linux", "echo", "halt", "reboot", "configfile",
        "search", "search_label", "search_fs_file", "serial", "terminal", "efi_gop", "efi_uga", "all_video", "gfxterm",
        "test", "sleep", "ls", "cat", "chain",
    ];

    /// <summary>Finds every file under <paramref name="root"/>; a missing one is named with the package that provides it.</summary>
    public static BootFiles Locate(string root)
    {
        string Need(string path, string what, string package) => HostFile.Need(root, path, what, package);

        var files = new BootFiles(
            Need("/usr/lib/ISOLINUX/isolinux.bin", "ISOLINUX (BIOS CD boot loader)", "isolinux"),
            Need("/usr/lib/ISOLINUX/isohdpfx.bin", "the isohybrid MBR (USB boot code)", "isolinux"),
            Need("/usr/lib/syslinux/mbr/gptmbr.bin", "the SYSLINUX GPT MBR (USB stick boot code)", "syslinux-common"),
            Need("/usr/lib/syslinux/modules/bios", "the syslinux BIOS modules", "syslinux-common"),
            Need("/usr/lib/grub/x86_64-efi", "GRUB for UEFI (x86_64-efi modules)", "grub-efi-amd64-bin"));
        foreach (var m in IsolinuxModules)
            Need(Path.Combine("/usr/lib/syslinux/modules/bios", m), $"the syslinux module {m}", "syslinux-common");
        Need("/usr/lib/grub/x86_64-efi/linux.mod", "GRUB for UEFI (x86_64-efi modules)", "grub-efi-amd64-bin");
        return files;
    }
}
