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

    /// <summary>UEFI: the Boot#### entry the firmware started this boot with; absent when it booted none (QEMU's
    /// direct kernel boot, a removable medium's fallback path started by the firmware's own boot manager).</summary>
    public string? BootCurrent { get; init; }

    /// <summary>UEFI: seconds the firmware's boot manager waits for a key (the Timeout variable).</summary>
    public int? Timeout { get; init; }

    public IReadOnlyList<EfiBootEntry> EfiBootEntries { get; set; } = [];
}

/// <summary>
/// One NVRAM Boot#### variable, an EFI_LOAD_OPTION (UEFI 2.10 §3.1.3: attributes, description, device path, optional
/// data), as efibootmgr -v prints it.
/// </summary>
public sealed record EfiBootEntry
{
    /// <summary><see cref="Kind"/>: a loader file on a disk partition, the device path holds a hard drive media
    /// node HD(...) (UEFI 2.10 §10.3.5.1). A restore recreates these against the new ESP.</summary>
    public const string HardDrive = "hard-drive";

    /// <summary><see cref="Kind"/>: an application inside the firmware image, FvVol(...)/FvFile(...) (UiApp, the EFI
    /// shell): not on any disk; the firmware registers these itself.</summary>
    public const string FirmwareVolume = "firmware-volume";

    /// <summary><see cref="Kind"/>: any other device path (a whole disk or CD, a NIC for PXE, a vendor node), usually
    /// created by the firmware for the devices it found.</summary>
    public const string Device = "device";

    /// <summary>The four hex digits of Boot####.</summary>
    public required string Number { get; init; }

    public required string Label { get; init; }

    /// <summary>LOAD_OPTION_ACTIVE: efibootmgr's '*'.</summary>
    public bool Active { get; init; }

    /// <summary><see cref="HardDrive"/>, <see cref="FirmwareVolume"/> or <see cref="Device"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The device path as efibootmgr prints it (HD(1,GPT,...)/File(\EFI\debian\shimx64.efi)), without the
    /// optional data printed after it.</summary>
    public string? DevicePath { get; init; }

    /// <summary>From the HD(...) node: the partition's number in its table.</summary>
    public int? PartitionNumber { get; init; }

    /// <summary>From the HD(...) node of a GPT partition: its unique partition GUID (the PARTUUID).</summary>
    public string? PartitionUuid { get; init; }

    /// <summary>From the HD(...) node: the partition's first logical block.</summary>
    public long? PartitionStart { get; init; }

    /// <summary>From the HD(...) node: the partition's size in logical blocks.</summary>
    public long? PartitionSize { get; init; }

    /// <summary>From a File(...) node: the loader's path on that partition.</summary>
    public string? LoaderPath { get; init; }

    /// <summary>The optional data as efibootmgr prints it after the device path: each byte, '.' for the unprintable.</summary>
    public string? OptionalData { get; init; }

    /// <summary>The optional data read as UCS-2 text when it is text: a loader's command line (efibootmgr -u).</summary>
    public string? OptionalDataText { get; init; }
}
