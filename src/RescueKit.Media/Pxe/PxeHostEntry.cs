namespace RescueKit.Media.Pxe;

/// <summary>What <see cref="PxeTree.Install"/> puts into the tree for one host: built files and how they boot.</summary>
internal sealed record PxeHostEntry
{
    public required string Host { get; init; }
    public required IReadOnlyList<string> Macs { get; init; }
    public required string KernelImage { get; init; }
    public required string KernelVersion { get; init; }
    public required string Initrd { get; init; }

    /// <summary>The command line before rk.initrd_sha256= (added once the initrd is hashed) and rk.mode=.</summary>
    public required string CommandLine { get; init; }

    /// <summary>Base URL of the tree over HTTP, for boot.ipxe; null writes no iPXE script.</summary>
    public string? HttpUrl { get; init; }

    public required string Tool { get; init; }
    public required DateTimeOffset Built { get; init; }
}
