namespace RescueKit.Core.Layout;

/// <summary>A swap area: an active one from /proc/swaps, or a swap signature blkid found.</summary>
public sealed record SwapInfo
{
    public required string Device { get; init; }

    /// <summary>"partition" or "file" (/proc/swaps Type); "partition" for an inactive signature on a device.</summary>
    public string Kind { get; set; } = "partition";

    public long? Size { get; init; }
    public int? Priority { get; init; }
    public string? Uuid { get; init; }
    public string? Label { get; init; }

    /// <summary>True when it is in use (listed in /proc/swaps).</summary>
    public bool Active { get; init; }
}
