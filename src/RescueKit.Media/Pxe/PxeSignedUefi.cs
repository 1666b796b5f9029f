namespace RescueKit.Media.Pxe;

/// <summary>
/// The signed UEFI network path of a PXE tree: shim (Microsoft-signed) as the boot file <see cref="PxeTree.ShimFile"/>,
/// and Debian's signed network GRUB beside it as grubx64.efi, the name shim loads from its own directory.
/// </summary>
internal sealed record PxeSignedUefi(string Shim, string NetGrub);
