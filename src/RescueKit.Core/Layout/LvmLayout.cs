namespace RescueKit.Core.Layout;

/// <summary>LVM as `lvm fullreport --reportformat json` reports it.</summary>
public sealed record LvmLayout
{
    public IReadOnlyList<LvmPhysicalVolume> PhysicalVolumes { get; set; } = [];
    public IReadOnlyList<LvmVolumeGroup> VolumeGroups { get; set; } = [];
}

public sealed record LvmPhysicalVolume
{
    public required string Device { get; init; }
    public required string Uuid { get; init; }

    /// <summary>The VG it belongs to; null for a PV in no VG.</summary>
    public string? VolumeGroup { get; init; }

    public long Size { get; init; }
}

public sealed record LvmVolumeGroup
{
    public required string Name { get; init; }
    public required string Uuid { get; init; }
    public required long ExtentSize { get; init; }
    public long Size { get; init; }
    public IReadOnlyList<LvmLogicalVolume> LogicalVolumes { get; set; } = [];
}

public sealed record LvmLogicalVolume
{
    public required string Name { get; init; }
    public required string Uuid { get; init; }

    /// <summary>The device-mapper path (/dev/VG/LV) for a visible LV.</summary>
    public string? Path { get; init; }

    public required long Size { get; init; }

    /// <summary>The first segment's type: linear, striped, raid1, raid5, mirror, thin-pool, thin, ...</summary>
    public required string SegmentType { get; init; }

    public int Stripes { get; set; } = 1;

    /// <summary>Stripe size in bytes (striped and raid LVs).</summary>
    public long? StripeSize { get; init; }

    /// <summary>The thin pool a thin LV lives in.</summary>
    public string? Pool { get; init; }
}
