namespace RescueKit.Core.Layout;

/// <summary>A LUKS header's public parameters (cryptsetup luksDump). Key material is never captured.</summary>
public sealed record LuksDevice
{
    /// <summary>The block device holding the LUKS header.</summary>
    public required string Device { get; init; }

    /// <summary>1 or 2.</summary>
    public required int Version { get; init; }

    public required string Uuid { get; init; }

    /// <summary>LUKS2 label.</summary>
    public string? Label { get; init; }

    /// <summary>The data cipher in cryptsetup's form (aes-xts-plain64).</summary>
    public required string Cipher { get; init; }

    /// <summary>The volume key size in bits.</summary>
    public required int KeySize { get; init; }

    /// <summary>The header digest hash (LUKS1 "Hash spec", LUKS2 digest hash).</summary>
    public string? Hash { get; init; }

    /// <summary>LUKS2 encryption sector size in bytes.</summary>
    public int? SectorSize { get; init; }

    /// <summary>The device-mapper name it is open as (its /dev/mapper entry), null when closed.</summary>
    public string? MappedName { get; init; }
}
