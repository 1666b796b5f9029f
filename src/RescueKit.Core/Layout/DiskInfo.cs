namespace RescueKit.Core.Layout;

/// <summary>A whole disk (or a loop device, or a disk image file) and its partition table.</summary>
public sealed record DiskInfo
{
    /// <summary>The device node (/dev/sda, /dev/nvme0n1, /dev/loop3) or the image file's path.</summary>
    public required string Path { get; init; }

    public required long Size { get; init; }
    public int LogicalSectorSize { get; set; } = 512;
    public int PhysicalSectorSize { get; set; } = 512;
    public string? Model { get; init; }
    public string? Serial { get; init; }
    public string? Wwn { get; init; }

    /// <summary>lsblk's transport (sata, nvme, virtio, usb), when the kernel knows it.</summary>
    public string? Transport { get; init; }

    /// <summary>"gpt" or "dos" (sfdisk's names); null when the disk has no partition table.</summary>
    public string? TableType { get; init; }

    /// <summary>The GPT disk GUID, or the MBR disk identifier as sfdisk prints it (0x1234abcd).</summary>
    public string? TableId { get; init; }

    /// <summary>GPT only: the usable area, in sectors (sfdisk's first-lba / last-lba).</summary>
    public long? FirstLba { get; init; }
    public long? LastLba { get; init; }

    public IReadOnlyList<PartitionInfo> Partitions { get; set; } = [];
}

/// <summary>One partition-table entry (sfdisk -J, completed from lsblk).</summary>
public sealed record PartitionInfo
{
    public required int Number { get; init; }

    /// <summary>The partition's device node (/dev/sda1); for an image file, sfdisk's name for it (disk.img1).</summary>
    public required string Device { get; init; }

    public required long Start { get; init; }
    public required long SizeSectors { get; init; }

    /// <summary>The GPT type GUID (upper case, as sfdisk prints it) or the MBR type id in hex (83, ef, 5).</summary>
    public required string Type { get; init; }

    /// <summary>PARTUUID: the GPT partition GUID, or for MBR the disk id and number (1234abcd-01).</summary>
    public string? Uuid { get; init; }

    /// <summary>GPT partition name.</summary>
    public string? Name { get; init; }

    /// <summary>GPT attributes as sfdisk spells them (RequiredPartition LegacyBIOSBootable GUID:63).</summary>
    public string? Attributes { get; init; }

    /// <summary>MBR active flag; null for GPT (which has the LegacyBIOSBootable attribute instead).</summary>
    public bool? Bootable { get; init; }

    /// <summary>MBR only: "primary", "extended" or "logical".</summary>
    public string? Role { get; init; }

    /// <summary>The GPT type GUID of an EFI system partition (UEFI 2.10 §5.3.3).</summary>
    public const string EfiSystemType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";

    /// <summary>An EFI system partition: its GPT type, or MBR type ef.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEfiSystem => Type.Equals(EfiSystemType, StringComparison.OrdinalIgnoreCase) || Type.Equals("ef", StringComparison.OrdinalIgnoreCase);
}
