namespace RescueKit.Media.Pxe;

/// <summary>How `mkrescue --output pxe` adds this host to a tree (its root is <see cref="RescueConfig.OutputDirectory"/>).</summary>
public sealed record PxeRequest
{
    /// <summary>The host's NICs, normalised by <see cref="PxeMac"/>.</summary>
    public required IReadOnlyList<string> Macs { get; init; }

    /// <summary>Base URL the tree is served at over HTTP; null: iPXE scripts are not written.</summary>
    public string? HttpUrl { get; init; }

    /// <summary>
    /// The TFTP server's address built into the GRUB image's prefix, (tftp,ADDR)/grub. Debian's GRUB 2.06 knows only the
    /// DHCP server's next-server and ignores a proxyDHCP answer (reference pxe-initramfs.md B, trap b), so under
    /// proxyDHCP the address must be in the image. Null: (tftp)/grub, the DHCP next-server.
    /// </summary>
    public string? TftpServer { get; init; }

    /// <summary>rk.source= on the kernel command line (DESIGN §5); null leaves it out (auto).</summary>
    public string? Source { get; init; }
}
