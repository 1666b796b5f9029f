namespace RescueKit.Core.Layout;

/// <summary>An md RAID array (mdadm --detail --export, chunk and layout from /sys/block/mdN/md).</summary>
public sealed record MdArray
{
    /// <summary>/dev/md0 or /dev/md/NAME as the system names it.</summary>
    public required string Device { get; init; }

    /// <summary>raid0, raid1, raid4, raid5, raid6, raid10, linear.</summary>
    public required string Level { get; init; }

    /// <summary>Superblock format: 0.90, 1.0, 1.1, 1.2, or imsm/ddf containers.</summary>
    public string? Metadata { get; init; }

    /// <summary>The array UUID in mdadm's form (four colon-separated groups).</summary>
    public required string Uuid { get; init; }

    /// <summary>The array name in the superblock (HOST:NAME), metadata 1.x only.</summary>
    public string? Name { get; init; }

    /// <summary>Number of active devices the array is built with (mdadm --raid-devices).</summary>
    public int RaidDevices { get; init; }

    /// <summary>Chunk size in bytes; null for raid1 and linear, which have none.</summary>
    public long? ChunkSize { get; init; }

    /// <summary>The layout in mdadm's names (left-symmetric, n2, ...); null when the level has none.</summary>
    public string? Layout { get; init; }

    /// <summary>Array size in bytes.</summary>
    public long? Size { get; init; }

    public IReadOnlyList<MdMember> Members { get; set; } = [];
    public IReadOnlyList<string> Spares { get; set; } = [];
}

/// <summary>An active member of an md array and its slot.</summary>
public sealed record MdMember(string Device, int Slot);
