namespace RescueKit.Core.Layout;

/// <summary>A filesystem on a block device, with what mkfs needs to recreate it the same way.</summary>
public sealed record FilesystemInfo
{
    public required string Device { get; init; }

    /// <summary>blkid's TYPE: ext4, ext3, ext2, xfs, btrfs, vfat.</summary>
    public required string Type { get; init; }

    public string? Uuid { get; init; }
    public string? Label { get; init; }

    /// <summary>Where it is mounted (the first mount of it in mountinfo); null when not mounted.</summary>
    public string? MountPoint { get; init; }

    /// <summary>The mount's options, per-mount and superblock ones joined as `mount -o` takes them; null when not mounted.</summary>
    public string? MountOptions { get; init; }

    /// <summary>Size of the device it lives on, bytes.</summary>
    public long? Size { get; init; }

    public ExtFeatures? Ext { get; init; }
    public XfsFeatures? Xfs { get; init; }
    public BtrfsFeatures? Btrfs { get; init; }
    public VfatFeatures? Vfat { get; init; }
}

/// <summary>ext2/3/4 superblock parameters (dumpe2fs -h).</summary>
public sealed record ExtFeatures
{
    public required int BlockSize { get; init; }
    public required int InodeSize { get; init; }
    public long? InodeCount { get; init; }
    public long? BlockCount { get; init; }

    /// <summary>The feature names as mkfs.ext4 -O takes them (has_journal, extent, 64bit, metadata_csum ...).</summary>
    public IReadOnlyList<string> Features { get; set; } = [];
}

/// <summary>xfs geometry (xfs_info).</summary>
public sealed record XfsFeatures
{
    public required int BlockSize { get; init; }
    public int? SectorSize { get; init; }
    public int? InodeSize { get; init; }
    public int? AgCount { get; init; }

    /// <summary>mkfs.xfs boolean features that were on (crc, finobt, sparse, rmapbt, reflink, bigtime, inobtcount).</summary>
    public IReadOnlyList<string> Features { get; set; } = [];
}

/// <summary>btrfs subvolumes (btrfs subvolume list), only when the filesystem is mounted.</summary>
public sealed record BtrfsFeatures
{
    public IReadOnlyList<BtrfsSubvolume> Subvolumes { get; set; } = [];

    /// <summary>The path of the default subvolume (what a mount without subvol= mounts); null for the top level.</summary>
    public string? DefaultSubvolume { get; init; }
}

/// <summary>One btrfs subvolume: its id, its parent's id, its path from the top level, where it is mounted on its
/// own (subvol= mounts), if anywhere, and whether it is read-only (a snapshot kept as it was).</summary>
public sealed record BtrfsSubvolume(long Id, long ParentId, string Path, string? MountPoint = null, bool ReadOnly = false);

/// <summary>FAT parameters (blkid -p): the FAT size and the volume id mkfs.vfat -i takes.</summary>
public sealed record VfatFeatures
{
    /// <summary>12, 16 or 32.</summary>
    public int? FatSize { get; init; }

    /// <summary>The volume serial as 8 hex digits (mkfs.vfat -i).</summary>
    public string? VolumeId { get; init; }
}
