namespace RescueKit.Core.Layout;

/// <summary>
/// The root of layout.json (DESIGN §6, docs/layout.md): every piece of storage a restore needs to recreate the host.
/// Sizes are bytes unless a name says sectors; lists are never null (empty when the host has none).
/// </summary>
/// <remarks>
/// Across the model, a property with a default has a setter rather than an init accessor: the source-generated
/// reader builds records through their init accessors and would set a field absent from the file to null or 0
/// instead of its default (a hand-written layout without "swaps" would hold a null list).
/// </remarks>
public sealed record HostLayout
{
    /// <summary>The layout.json format this build writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary>The rescuekit version that captured the layout.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>When the capture ran (UTC).</summary>
    public required DateTimeOffset CapturedAt { get; init; }

    /// <summary>Null for an image capture, which describes a machine but not this host.</summary>
    public string? HostName { get; init; }

    /// <summary>The devices and image files the capture was limited to (--device); empty for the whole host.
    /// `layout check` captures the same scope again.</summary>
    public IReadOnlyList<string> Scope { get; set; } = [];

    public IReadOnlyList<DiskInfo> Disks { get; set; } = [];
    public IReadOnlyList<MdArray> MdArrays { get; set; } = [];
    public LvmLayout Lvm { get; set; } = new();
    public IReadOnlyList<LuksDevice> Luks { get; set; } = [];
    public IReadOnlyList<FilesystemInfo> Filesystems { get; set; } = [];
    public IReadOnlyList<SwapInfo> Swaps { get; set; } = [];

    /// <summary>/etc/fstab as it was, so a restore can rewrite device names that changed.</summary>
    public IReadOnlyList<FstabEntry> Fstab { get; set; } = [];

    /// <summary>Null when no boot loader could be identified (an image file, a data-only device set).</summary>
    public BootLoaderInfo? BootLoader { get; init; }

    /// <summary>What the capture could not see and why (an optional tool missing, a device skipped).</summary>
    public IReadOnlyList<string> Notes { get; set; } = [];
}
