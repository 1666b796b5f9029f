using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;

namespace RescueKit.Restore.Mapping;

/// <summary>
/// Maps the layout's disks onto this machine's without guessing: what the user gave first, then for each source disk
/// in layout order the same disk (serial or WWN), then the same size and name, then the same size, then the smallest
/// free disk that holds it without shrinking, then (when resizing is allowed) the biggest free disk that holds it
/// shrunk, since shrinking less leaves its data the most room. When the best rule leaves two or more targets equally good, or none is left, that disk stays
/// unmapped with the candidates named: restoring onto the wrong one of two equal disks destroys what is on it. Refused
/// targets (the rescue medium, the backup's disk) are never chosen, not even when given.
/// </summary>
public static class DiskMapper
{
    /// <summary>The target name of a source disk the user chose to leave out.</summary>
    public const string Skip = "none";

    /// <param name="required">The bytes a target must have for a source disk: up to the end of its last partition when no
    /// resizing is allowed, what its data needs when it is.</param>
    /// <param name="given">Source → target (or <see cref="Skip"/>) pairs the user chose.</param>
    /// <param name="unshrunk">The bytes a target needs to hold the source disk's partitions as they are; null when it
    /// is <paramref name="required"/> (no resizing).</param>
    /// <exception cref="BadInputException">A given pair names a disk the layout or this machine does not have, a
    /// refused target, a target twice, or (without resizing) a target too small.</exception>
    public static DiskMapping Map(IReadOnlyList<DiskInfo> sources, IReadOnlyList<TargetDisk> targets, Func<DiskInfo, long> required,
        IReadOnlyDictionary<string, string>? given = null, Func<DiskInfo, long>? unshrunk = null)
    {
        var pairs = new List<DiskPair>();
        var skipped = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (source, target) in given ?? new Dictionary<string, string>())
        {
            var disk = sources.FirstOrDefault(d => d.Path == source)
                ?? throw new BadInputException($"the mapping names {source}, which is not a disk of the layout ({string.Join(", ", sources.Select(d => d.Path))})");
            if (target == Skip) { skipped.Add(source); continue; }
            var t = targets.FirstOrDefault(d => d.Path == target)
                ?? throw new BadInputException($"the mapping names {target}, which is not a disk of this machine ({string.Join(", ", targets.Select(d => d.Path))})");
            if (t.Refused is not null) throw new BadInputException($"{target} must not be restored onto: {t.Refused}");
            // With resizing the planner checks a given target filesystem by filesystem, and can say which one would not fit.
            if (unshrunk is null && t.Size < required(disk))
                throw new BadInputException($"{target} ({ByteSize.Format(t.Size)}) is too small for {source}: it needs {ByteSize.Format(required(disk))}");
            if (!used.Add(target)) throw new BadInputException($"the mapping puts two source disks onto {target}");
            pairs.Add(new DiskPair(source, target, MatchKind.Given));
        }

        var unmapped = new List<UnmappedDisk>();
        foreach (var disk in sources.Where(d => pairs.All(p => p.Source != d.Path) && !skipped.Contains(d.Path)))
        {
            var need = required(disk);
            var free = targets.Where(t => t.Refused is null && !used.Contains(t.Path) && t.Size >= need).ToList();
            var (match, best) = Best(disk, free, unshrunk?.Invoke(disk) ?? need);
            if (best.Count == 1)
            {
                used.Add(best[0].Path);
                pairs.Add(new DiskPair(disk.Path, best[0].Path, match));
            }
            else
                unmapped.Add(new UnmappedDisk(disk.Path, need, best.Select(t => t.Path).ToList()));
        }
        var order = sources.Select(d => d.Path).ToList();
        return new DiskMapping(pairs.OrderBy(p => order.IndexOf(p.Source)).ToList(), skipped, unmapped, targets);
    }

    /// <summary>The strongest rule that any free target meets, and every target that meets it.</summary>
    private static (MatchKind, List<TargetDisk>) Best(DiskInfo disk, List<TargetDisk> free, long unshrunk)
    {
        (MatchKind Kind, Func<TargetDisk, bool> Meets)[] rules =
        [
            (MatchKind.SameDisk, t => Same(t.Serial, disk.Serial) || Same(t.Wwn, disk.Wwn)),
            (MatchKind.SameSizeAndName, t => t.Size == disk.Size && t.Path == disk.Path),
            (MatchKind.SameSize, t => t.Size == disk.Size),
        ];
        foreach (var (kind, meets) in rules)
        {
            var found = free.Where(meets).ToList();
            if (found.Count > 0) return (kind, found);
        }
        if (free.Count == 0) return (MatchKind.SmallestThatFits, free);
        var whole = free.Where(t => t.Size >= unshrunk).ToList();
        if (whole.Count > 0)
        {
            var smallest = whole.Min(t => t.Size);
            return (MatchKind.SmallestThatFits, whole.Where(t => t.Size == smallest).ToList());
        }
        var biggest = free.Max(t => t.Size);
        return (MatchKind.BiggestShrunk, free.Where(t => t.Size == biggest).ToList());
    }

    private static bool Same(string? a, string? b) => !string.IsNullOrWhiteSpace(a) && a == b;
}
