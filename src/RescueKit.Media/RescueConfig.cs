using RescueKit.Discovery;
using RescueKit.Media.Rootfs;

namespace RescueKit.Media;

/// <summary>Everything a rescue-media build is asked to do, fixed before the first step runs.</summary>
public sealed record RescueConfig
{
    /// <summary>Directory the finished medium is written to.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Host name the medium is named after (rescuekit-&lt;host&gt;.iso).</summary>
    public required string HostName { get; init; }

    /// <summary>Kernel version or image path; null = the running kernel, else the newest installed.</summary>
    public string? Kernel { get; init; }

    public ModuleSelection Modules { get; init; } = ModuleSelection.Host;

    public InitramfsCompression Compression { get; init; } = InitramfsCompression.Zstd;

    /// <summary>ISO volume label; init finds the medium by it.</summary>
    public string Label { get; init; } = "RESCUEKIT";

    /// <summary>Serial console as DEVICE,SPEED (e.g. ttyS0,115200); null = VGA only.</summary>
    public string? SerialConsole { get; init; } = "ttyS0,115200";

    /// <summary>The time stamped into every file of the medium (SOURCE_DATE_EPOCH when set), so builds are reproducible.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// UEFI boot through Debian's signed shim and GRUB where the host has them and its kernel is signed (docs/mkrescue.md
    /// "Secure Boot"); false (--secure-boot off) builds the unsigned GRUB path, which Secure Boot firmware refuses.
    /// </summary>
    public bool SecureBoot { get; init; } = true;

    /// <summary>The rescuekit binary copied into the rescue system (the native build, which needs no .NET runtime).</summary>
    public required string RescueBinary { get; init; }

    public required string Version { get; init; }

    /// <summary>Host root the system is built from ("/" normally; a test tree otherwise).</summary>
    public string HostRoot { get; init; } = "/";

    /// <summary>The host's layout.json (`rescuekit layout save`), or null when it could not be captured.</summary>
    public string? LayoutJson { get; init; }

    public string IsoPath => Path.Combine(OutputDirectory, $"rescuekit-{HostName}.iso");
}
