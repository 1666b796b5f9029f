namespace RescueKit.Core.Layout;

/// <summary>How the host boots: BIOS GRUB (and onto which disks) or UEFI (the ESP and the NVRAM boot entries).</summary>
public sealed record BootLoaderInfo
{
    public const string BiosGrub = "bios-grub";
    public const string Uefi = "uefi";

    /// <summary><see cref="BiosGrub"/> or <see cref="Uefi"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>BIOS: the disks whose boot sector holds GRUB (grub-install's targets).</summary>
    public IReadOnlyList<string> InstallDevices { get; set; } = [];

    /// <summary>UEFI: the EFI system partition's device.</summary>
    public string? Esp { get; init; }

    /// <summary>UEFI: BootOrder as efibootmgr prints it (0001,0000).</summary>
    public IReadOnlyList<string> BootOrder { get; set; } = [];

    public IReadOnlyList<EfiBootEntry> EfiBootEntries { get; set; } = [];
}

/// <summary>One NVRAM Boot#### variable (efibootmgr -v).</summary>
public sealed record EfiBootEntry
{
    /// <summary>The four hex digits of Boot####.</summary>
    public required string Number { get; init; }

    public required string Label { get; init; }
    public bool Active { get; init; }

    /// <summary>The device path as efibootmgr prints it (HD(1,GPT,...)/File(\EFI\debian\shimx64.efi)).</summary>
    public string? DevicePath { get; init; }

    /// <summary>From an HD(...) node: the PARTUUID of the partition holding the loader.</summary>
    public string? PartitionUuid { get; init; }

    /// <summary>From a File(...) node: the loader's path on that partition.</summary>
    public string? LoaderPath { get; init; }
}
