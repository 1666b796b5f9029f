namespace RescueKit.Boot.Tests.Harness;

/// <summary>Which source machine tests/vm/source-machine.sh builds (its VARIANT): each is cached on its own.</summary>
internal enum SourceVariant
{
    /// <summary>GRUB at the ESP's removable path only; backed up booted under SeaBIOS.</summary>
    Plain,

    /// <summary>Also Debian's shim and signed GRUB in \EFI\debian, booted under OVMF with Secure Boot enforcing
    /// through an NVRAM entry for \EFI\debian\shimx64.efi, and backed up so.</summary>
    SecureBoot,
}
