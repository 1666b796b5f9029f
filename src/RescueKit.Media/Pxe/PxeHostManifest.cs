namespace RescueKit.Media.Pxe;

/// <summary>
/// rescuekit/&lt;host&gt;/manifest.json: what one host's entry in a PXE tree is (docs/pxe.md). The menus of the tree are
/// made from these files alone, so the tree describes itself: adding or removing a host regenerates them from what is there.
/// </summary>
public sealed record PxeHostManifest
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>"rescuekit VERSION" that wrote the entry.</summary>
    public required string Tool { get; init; }

    public required string Host { get; init; }

    /// <summary>UTC build time, ISO 8601.</summary>
    public required string Built { get; init; }

    /// <summary>Kernel version the rescue system boots.</summary>
    public required string Kernel { get; init; }

    /// <summary>The host's NICs, lower-case and dashed (<see cref="PxeMac"/>): each gets its own per-MAC boot files.</summary>
    public required IReadOnlyList<string> Macs { get; init; }

    /// <summary>The kernel command line every entry starts with (console, rk.source=, rk.initrd_sha256=); the menus add rk.mode=.</summary>
    public required string CommandLine { get; init; }

    /// <summary>Base URL the tree is served at over HTTP (iPXE's boot.ipxe loads from it); null: no iPXE script.</summary>
    public string? HttpUrl { get; init; }

    /// <summary>The kernel, the initrd and boot.ipxe, with their sizes and SHA-256s.</summary>
    public required IReadOnlyList<PxeFile> Files { get; init; }
}

/// <summary>One file of a host's entry: its name in rescuekit/&lt;host&gt;/, size in bytes and lower-case hex SHA-256.</summary>
public sealed record PxeFile(string Name, long Size, string Sha256);
