namespace RescueKit.Media;

/// <summary>
/// The Secure Boot chain of a UEFI medium as Debian signs it: shim (signed by Microsoft's UEFI CA, so firmware with
/// Microsoft's keys starts it), its MOK manager, and GRUB signed by Debian (shim trusts Debian's CA, built into it),
/// which boots only kernels shim accepts. The host kernel must carry a signature too (checked by the caller).
/// </summary>
internal sealed record SecureBootFiles(string Shim, string MokManager, string SignedGrub)
{
    /// <summary>
    /// Where the files go on the EFI system partition. Shim, started as the removable-media loader, loads grubx64.efi
    /// and mmx64.efi from its own directory. Debian's signed GRUB has the prefix /EFI/debian built in (read from its
    /// image's mods section) and sources $prefix/grub.cfg from the device it was loaded from; its built-in memdisk
    /// config falls back to a search for /.disk/info, which RescueKit media do not have.
    /// </summary>
    public const string ShimOnEsp = "EFI/BOOT/BOOTX64.EFI";
    public const string GrubOnEsp = "EFI/BOOT/grubx64.efi";
    public const string MokManagerOnEsp = "EFI/BOOT/mmx64.efi";
    public const string GrubConfigOnEsp = "EFI/debian/grub.cfg";

    /// <summary>
    /// Debian's signed network GRUB, for a PXE tree: its built-in prefix is /grub with no device (read from the image's
    /// mods section), so it reads from the TFTP server it was loaded from, and it reads $prefix/grub.cfg, the default
    /// menu, which sends each MAC of the tree on to its own (PxeMenus).
    /// </summary>
    public const string SignedNetGrub = "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed";

    /// <summary>The files, or the package that is missing (shim-signed, grub-efi-amd64-signed) when one is absent.</summary>
    public static (SecureBootFiles? Files, string? MissingPackage) Locate(string root)
    {
        string Host(string path) => Path.Combine(root, path.TrimStart('/'));
        var shim = Host("/usr/lib/shim/shimx64.efi.signed");
        var mok = Host("/usr/lib/shim/mmx64.efi.signed");
        var grub = Host("/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed");
        if (!File.Exists(shim) || !File.Exists(mok)) return (null, "shim-signed");
        if (!File.Exists(grub)) return (null, "grub-efi-amd64-signed");
        return (new SecureBootFiles(shim, mok, grub), null);
    }
}
