namespace RescueKit.Restore.Mapping;

/// <summary>How a source disk of the layout was matched to a target disk, strongest first.</summary>
public enum MatchKind
{
    /// <summary>Given by the user (a mapping file or a map option).</summary>
    Given,
    /// <summary>The same serial or WWN: the very disk the layout was taken from.</summary>
    SameDisk,
    /// <summary>The same size and the same device name.</summary>
    SameSizeAndName,
    /// <summary>The same size.</summary>
    SameSize,
    /// <summary>The smallest free disk that holds the partitions as they are.</summary>
    SmallestThatFits,
    /// <summary>No free disk holds the partitions as they are: the biggest one that holds them shrunk.</summary>
    BiggestShrunk,
}

/// <summary>One source disk and the target disk it is restored onto.</summary>
public sealed record DiskPair(string Source, string Target, MatchKind Match);

/// <summary>A source disk that found no target: none left that is big enough, or several equally good ones.</summary>
/// <param name="Candidates">Equally good targets (two or more) when it is ambiguous; empty when none fits.</param>
public sealed record UnmappedDisk(string Source, long RequiredSize, IReadOnlyList<string> Candidates)
{
    public bool IsAmbiguous => Candidates.Count > 1;
}

/// <summary>
/// Source disks (layout.json) to target disks (this machine). <see cref="Skipped"/> are source disks the user chose
/// not to restore (a RAID1 member restored degraded); <see cref="Unmapped"/> is empty exactly when every other source
/// disk has a target.
/// </summary>
public sealed record DiskMapping(IReadOnlyList<DiskPair> Pairs, IReadOnlyList<string> Skipped, IReadOnlyList<UnmappedDisk> Unmapped,
    IReadOnlyList<TargetDisk> Targets)
{
    public bool IsComplete => Unmapped.Count == 0;

    /// <summary>The target of <paramref name="source"/>, or null when it has none.</summary>
    public string? TargetOf(string source) => Pairs.FirstOrDefault(p => p.Source == source)?.Target;
}
