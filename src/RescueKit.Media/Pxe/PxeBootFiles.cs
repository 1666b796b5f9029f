namespace RescueKit.Media.Pxe;

/// <summary>The network boot loaders a PXE tree serves, as the host's Debian packages install them.</summary>
internal sealed record PxeBootFiles(string PxelinuxDirectory, string SyslinuxModules, string IpxeDirectory, string GrubEfiModules)
{
    /// <summary>pxelinux.0 speaks TFTP through the NIC ROM's PXE API; lpxelinux.0 also fetches http:// paths itself.</summary>
    public static readonly string[] Pxelinux = ["pxelinux.0", "lpxelinux.0"];

    /// <summary>The syslinux modules pxelinux loads from beside itself: ldlinux always, the rest for the text menu.</summary>
    public static readonly string[] PxelinuxModules = ["ldlinux.c32", "menu.c32", "libutil.c32", "libcom32.c32"];

    /// <summary>iPXE for a BIOS NIC ROM (chained through UNDI) and for UEFI.</summary>
    public static readonly string[] Ipxe = ["undionly.kpxe", "ipxe.efi"];

    /// <summary>
    /// GRUB modules built into the UEFI network image: the network stack and its TFTP and HTTP file systems, efinet (the
    /// firmware's NIC), Linux loading, menus on VGA and serial. Everything is built in: GRUB finds no x86_64-efi/*.mod
    /// in the tree and asks for none (the command.lst it looks for is then optional).
    /// </summary>
    public static readonly string[] GrubNetModules =
    [
        "net", "efinet", "tftp", "http", "linux", "normal", "configfile", "echo", "serial", "terminal", "test", "gzio",
        "all_video", "efi_gop", "efi_uga", "search", "ls", "cat", "halt", "reboot", "sleep", "chain",
    ];

    /// <summary>Finds every file under <paramref name="root"/>; a missing one is named with the package that provides it.</summary>
    public static PxeBootFiles Locate(string root)
    {
        string Need(string path, string what, string package) => HostFile.Need(root, path, what, package);

        var files = new PxeBootFiles(
            Need("/usr/lib/PXELINUX", "PXELINUX (the BIOS network boot loader)", "pxelinux"),
            Need("/usr/lib/syslinux/modules/bios", "the syslinux BIOS modules", "syslinux-common"),
            Need("/usr/lib/ipxe", "iPXE (undionly.kpxe, ipxe.efi)", "ipxe"),
            Need("/usr/lib/grub/x86_64-efi", "GRUB for UEFI (x86_64-efi modules)", "grub-efi-amd64-bin"));
        foreach (var f in Pxelinux) Need($"/usr/lib/PXELINUX/{f}", $"PXELINUX's {f}", "pxelinux");
        foreach (var m in PxelinuxModules) Need($"/usr/lib/syslinux/modules/bios/{m}", $"the syslinux module {m}", "syslinux-common");
        foreach (var f in Ipxe) Need($"/usr/lib/ipxe/{f}", $"iPXE's {f}", "ipxe");
        foreach (var m in GrubNetModules) Need($"/usr/lib/grub/x86_64-efi/{m}.mod", $"the GRUB module {m}.mod", "grub-efi-amd64-bin");
        return files;
    }

    /// <summary>Tree path → host file of every boot loader file the tree root carries, the GRUB image aside.</summary>
    public IEnumerable<(string TreePath, string HostFile)> TreeFiles()
    {
        foreach (var f in Pxelinux) yield return (f, Path.Combine(PxelinuxDirectory, f));
        foreach (var m in PxelinuxModules) yield return (m, Path.Combine(SyslinuxModules, m));
        foreach (var f in Ipxe) yield return (f, Path.Combine(IpxeDirectory, f));
    }
}
