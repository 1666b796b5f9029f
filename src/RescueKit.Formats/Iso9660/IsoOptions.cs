namespace RescueKit.Formats.Iso9660;

/// <summary>POSIX metadata recorded in Rock Ridge PX/TF (and the directory record date).</summary>
/// <param name="Permissions">The 07777 bits (setuid/setgid/sticky + rwx); the file type bits come from the node kind.</param>
public readonly record struct UnixMetadata(int Permissions, int Uid, int Gid, DateTimeOffset ModificationTime);

/// <summary>Volume-level settings of an ISO image.</summary>
public sealed class IsoOptions
{
    /// <summary>1..32 upper-case d-characters (A-Z 0-9 _), ECMA-119 8.4.6; live-boot loaders match it via CDLABEL=.</summary>
    public required string VolumeIdentifier { get; init; }

    /// <summary>Volume creation/modification date, and the seed of the MBR disk signature and the GPT GUIDs.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Up to 128 characters; upper-cased and mapped to a-characters in the primary descriptor.</summary>
    public string? Publisher { get; init; }

    /// <summary>Up to 128 characters; upper-cased and mapped to a-characters in the primary descriptor.</summary>
    public string? Application { get; init; }

    /// <summary>Up to 32 characters; upper-cased and mapped to a-characters in the primary descriptor.</summary>
    public string? SystemIdentifier { get; init; }
}

/// <summary>El Torito boot entries and the isohybrid system area.</summary>
public sealed class ElToritoOptions
{
    /// <summary>ISO path of isolinux.bin, already added with AddFile (e.g. "isolinux/isolinux.bin"): the BIOS no-emulation entry.</summary>
    public string? BiosBootImage { get; init; }

    /// <summary>ISO path where the boot catalog appears as a 2048-byte file; must not be added by the caller.</summary>
    public string BootCatalog { get; init; } = "isolinux/boot.cat";

    /// <summary>Patch the ISOLINUX boot-info-table into the copy of the BIOS image written (formats.md §8).</summary>
    public bool BootInfoTable { get; init; } = true;

    /// <summary>ISO path of the FAT image, already added (e.g. "boot/grub/efiboot.img"): the UEFI (platform 0xEF) entry.</summary>
    public string? EfiBootImage { get; init; }

    /// <summary>isohdpfx.bin (at least 432 bytes): enables the isohybrid MBR; null = plain ISO with an empty system area.</summary>
    public byte[]? HybridMbr { get; init; }

    /// <summary>With <see cref="HybridMbr"/>: also write the isohybrid GPT (primary + backup) like -isohybrid-gpt-basdat.</summary>
    public bool HybridGpt { get; init; } = true;
}
