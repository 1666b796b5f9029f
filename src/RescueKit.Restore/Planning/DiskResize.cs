using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;

namespace RescueKit.Restore.Planning;

/// <summary>One partition where the restore puts it, in the source disk's logical sectors. <see cref="Set"/>: its size is
/// the one a person set in the mountlist.</summary>
internal sealed record PartitionGeometry(int Number, long Start, long SizeSectors, long OldSizeSectors, bool Scaled, bool Set = false);

/// <summary>
/// A source disk's partitions laid out on a target disk. <see cref="Factor"/> is 1 and <see cref="LastLba"/> null when
/// every partition keeps its start and size.
/// </summary>
internal sealed record DiskGeometry(IReadOnlyList<PartitionGeometry> Partitions, double Factor, long? LastLba)
{
    public bool Resized => Partitions.Any(p => p.SizeSectors != p.OldSizeSectors) || LastLba is not null;

    public PartitionGeometry? Of(int number) => Partitions.FirstOrDefault(p => p.Number == number);

    /// <summary>Why the sizes a person set cannot be laid out so (a partition too big for the disk, or running into
    /// the next one): the device each is about, and the problem. The geometry is then not one to write.</summary>
    public IReadOnlyList<(string Device, string Problem)> Problems { get; init; } = [];
}

/// <summary>
/// Proportional partition geometry, as Mondo Rescue does it: the partitions that must keep their size (BIOS boot, the
/// ESP, /boot: firmware and boot loaders expect them as they were, and they are small) keep it; the others are scaled
/// by one factor so that the disk's usable area is filled, the last one taking what rounding left. Starts are aligned
/// to 1 MiB, the gap before the first partition is kept, and GPT keeps room for its backup header and entries.
/// </summary>
internal static class DiskResize
{
    public const string BiosBootType = "21686148-6449-6E6F-744E-656564454649";

    /// <summary>GPT's backup header and the 128 entries of 128 bytes sfdisk writes, at the end of the disk.</summary>
    public static long BackupGptSectors(DiskInfo disk) => disk.TableType == "gpt" ? 1 + 128 * 128 / disk.LogicalSectorSize : 0;

    private static long Alignment(DiskInfo disk) => Math.Max(1, (1 << 20) / disk.LogicalSectorSize);

    /// <summary>Why the partitions of <paramref name="disk"/> keep their sizes whatever the target's size, or null
    /// when they can be resized.</summary>
    public static string? CannotResize(DiskInfo disk) => disk switch
    {
        { TableType: null } => null, // the whole disk is one device: it simply has the target's size
        { Partitions.Count: 0 } => "it has no partitions",
        _ when disk.Partitions.Any(p => p.Role is "extended" or "logical") =>
            "its MBR table has logical partitions, whose chained tables this rescuekit does not lay out anew",
        _ => null,
    };

    /// <summary>The partitions that keep their size: BIOS boot, ESPs, and those in <paramref name="holdBoot"/>.</summary>
    public static bool IsFixed(PartitionInfo p, IReadOnlySet<string> holdBoot) =>
        string.Equals(p.Type, BiosBootType, StringComparison.OrdinalIgnoreCase)
        || p.IsEfiSystem
        || holdBoot.Contains(p.Device);

    /// <summary>The geometry of <paramref name="disk"/> on a target of <paramref name="targetBytes"/>.</summary>
    /// <exception cref="RescueKitException">Even the kept partitions do not fit (the mapping let through a disk that is too small).</exception>
    public static DiskGeometry Layout(DiskInfo disk, long targetBytes, Func<PartitionInfo, bool> isFixed)
    {
        var parts = disk.Partitions.OrderBy(p => p.Start).ToList();
        var kept = new DiskGeometry(parts.Select(p => new PartitionGeometry(p.Number, p.Start, p.SizeSectors, p.SizeSectors, false)).ToList(), 1, null);
        if (targetBytes == disk.Size || CannotResize(disk) is not null || parts.All(isFixed)) return kept;

        var align = Alignment(disk);
        var usableEnd = targetBytes / disk.LogicalSectorSize - BackupGptSectors(disk);
        var oldScaled = parts.Where(p => !isFixed(p)).Sum(p => p.SizeSectors);
        var factor = (double)(usableEnd - Overhead(parts, isFixed, align)) / oldScaled;
        // A target that holds the partitions as they are never shrinks them: what rounding would cost stays free.
        if (factor < 1 && targetBytes >= RestorePlanner.RequiredSize(disk)) return kept;
        if (factor <= 0)
            throw new RescueKitException($"{disk.Path}'s partitions that keep their size do not fit in {Core.Backup.ByteSize.Format(targetBytes)}", ExitCodes.BadInput);

        var sizes = parts.Select(p => isFixed(p) ? p.SizeSectors : Math.Max(align, (long)(p.SizeSectors * factor) / align * align)).ToArray();
        var lastScaled = parts.FindLastIndex(p => !isFixed(p));
        var end = Place(parts, sizes, align)[^1];
        var slack = usableEnd - (end.Start + end.Size);
        // The last partition ends at the end of the usable area; a scaled one before kept ones grows by whole MiB so
        // that the kept ones after it stay aligned.
        sizes[lastScaled] += lastScaled == parts.Count - 1 ? slack : slack / align * align;
        var placed = Place(parts, sizes, align);
        if (placed[^1].Start + placed[^1].Size > usableEnd || sizes.Any(s => s <= 0))
            throw new RescueKitException($"{disk.Path}'s partitions do not fit in {Core.Backup.ByteSize.Format(targetBytes)}", ExitCodes.BadInput);
        var geometry = parts.Select((p, i) => new PartitionGeometry(p.Number, placed[i].Start, sizes[i], p.SizeSectors, !isFixed(p))).ToList();
        return new DiskGeometry(geometry, factor, disk.TableType == "gpt" ? usableEnd - 1 : null);
    }

    /// <summary>
    /// The geometry of <paramref name="disk"/> on <paramref name="target"/> of <paramref name="targetBytes"/> with the
    /// sizes a person set (<paramref name="asked"/>, at least one): a set size is kept (in whole MiB); when some
    /// partition takes "the rest", it alone fills what is left and the others keep their sizes, else every partition
    /// with no size set that is not fixed is scaled by one factor to fill the disk, as <see cref="Layout(DiskInfo, long, Func{PartitionInfo, bool})"/> does.
    /// With <paramref name="keepStarts"/> (no resizing) every partition keeps its start: a size that runs into the next
    /// partition is an overlap. What does not fit is said in <see cref="DiskGeometry.Problems"/>, by how much.
    /// </summary>
    public static DiskGeometry Layout(DiskInfo disk, string target, long targetBytes, Func<PartitionInfo, bool> isFixed,
        Func<PartitionInfo, SizeRequest?> asked, bool keepStarts)
    {
        var parts = disk.Partitions.OrderBy(p => p.Start).ToList();
        var sector = disk.LogicalSectorSize;
        var align = Alignment(disk);
        var usableEnd = targetBytes / sector - BackupGptSectors(disk);
        var requests = parts.Select(asked).ToArray();
        var rest = requests.Select(r => r?.Rest == true).ToArray();
        var problems = new List<(string, string)>();
        long SetSectors(int i, long unit) => Math.Max(unit, requests[i]!.BytesFor(parts[i].SizeSectors * sector)!.Value / sector / unit * unit);
        long[] sizes;
        List<(long Start, long Size)> placed;
        bool[] scaled;
        var factor = 1.0;
        if (keepStarts)
        {
            scaled = rest;
            sizes = parts.Select((p, i) => requests[i] is { Rest: false } ? SetSectors(i, 1) : p.SizeSectors).ToArray();
            for (var i = 0; i < parts.Count; i++)
                if (rest[i]) sizes[i] = (i + 1 < parts.Count ? parts[i + 1].Start : usableEnd) - parts[i].Start;
            placed = parts.Select((p, i) => (p.Start, sizes[i])).ToList();
            for (var i = 0; i + 1 < parts.Count; i++)
                if (parts[i].Start + sizes[i] - parts[i + 1].Start is > 0 and var overlap)
                    problems.Add((parts[i].Device, $"overlaps {parts[i + 1].Device} by {ByteSize.Format(overlap * sector)}: without resizing each partition keeps its start, so make it smaller"));
        }
        else
        {
            var anyRest = rest.Any(r => r);
            scaled = parts.Select((p, i) => anyRest ? rest[i] : !isFixed(p) && requests[i] is null).ToArray();
            sizes = parts.Select((p, i) => scaled[i] ? 0 : requests[i] is not null ? SetSectors(i, align) : p.SizeSectors).ToArray();
            var oldScaled = parts.Where((_, i) => scaled[i]).Sum(p => p.SizeSectors);
            if (oldScaled > 0)
            {
                var overhead = Place(parts, sizes, align)[^1];
                factor = Math.Max(0, (double)(usableEnd - (overhead.Start + overhead.Size)) / oldScaled);
                for (var i = 0; i < parts.Count; i++)
                    if (scaled[i]) sizes[i] = Math.Max(align, (long)(parts[i].SizeSectors * factor) / align * align);
                var end = Place(parts, sizes, align)[^1];
                var slack = usableEnd - (end.Start + end.Size);
                var lastScaled = Array.LastIndexOf(scaled, true);
                if (slack > 0) sizes[lastScaled] += lastScaled == parts.Count - 1 ? slack : slack / align * align;
            }
            placed = Place(parts, sizes, align);
        }
        var excess = placed.Max(p => p.Start + p.Size) - usableEnd;
        if (excess > 0)
        {
            var set = parts.Where((_, i) => requests[i] is { Rest: false }).Select(p => p.Device).ToList();
            problems.Add((set.Count == 1 ? set[0] : disk.Path,
                $"{(set.Count == 1 ? "too big" : $"the sizes set for {string.Join(", ", set)} are too big")} for {target} ({ByteSize.Format(targetBytes)}) by {ByteSize.Format(excess * sector)}: make {(set.Count == 1 ? "it" : "them")} smaller, or choose a bigger disk"));
        }
        var geometry = parts.Select((p, i) => new PartitionGeometry(p.Number, placed[i].Start, sizes[i], p.SizeSectors, scaled[i], requests[i] is { Rest: false })).ToList();
        return new DiskGeometry(geometry, factor, disk.TableType == "gpt" ? usableEnd - 1 : null) { Problems = problems };
    }

    /// <summary>
    /// The smallest target that holds <paramref name="disk"/> with each scaled partition given at least
    /// <paramref name="needBytes"/>: the factor is one per disk, so the partition that needs the largest share of its old
    /// size sets it for all.
    /// </summary>
    public static long MinimumSize(DiskInfo disk, Func<PartitionInfo, bool> isFixed, Func<PartitionInfo, long> needBytes)
    {
        var parts = disk.Partitions.OrderBy(p => p.Start).ToList();
        if (CannotResize(disk) is not null || parts.All(isFixed)) return RestorePlanner.RequiredSize(disk);
        var align = Alignment(disk);
        var sector = disk.LogicalSectorSize;
        var scaled = parts.Where(p => !isFixed(p)).ToList();
        var factor = scaled.Max(p => (double)needBytes(p) / (p.SizeSectors * sector));
        var scaledArea = scaled.Sum(p => Math.Max(align, (long)Math.Ceiling(p.SizeSectors * factor / align) * align) + align);
        var sectors = Overhead(parts, isFixed, align) + scaledArea + BackupGptSectors(disk);
        // A filesystem that was nearly full needs more than it had once the margin is added: the old sizes always do.
        return Math.Min(sectors * sector, RestorePlanner.RequiredSize(disk));
    }

    /// <summary>
    /// The sectors everything but the scaled partitions takes: the first start, the kept partitions, whole MiB of old
    /// gaps, and what aligning each start loses. Scaled sizes are whole MiB, so adding them changes none of that.
    /// </summary>
    private static long Overhead(List<PartitionInfo> parts, Func<PartitionInfo, bool> isFixed, long align)
    {
        var placed = Place(parts, parts.Select(p => isFixed(p) ? p.SizeSectors : 0).ToArray(), align);
        return placed[^1].Start + placed[^1].Size;
    }

    /// <summary>The gaps between partitions in whole alignment units: a deliberate hole stays, rounding does not.</summary>
    private static IEnumerable<long> Gaps(List<PartitionInfo> parts, long align) =>
        parts.Skip(1).Select((p, i) => Math.Max(0, p.Start - (parts[i].Start + parts[i].SizeSectors)) / align * align);

    private static List<(long Start, long Size)> Place(List<PartitionInfo> parts, long[] sizes, long align)
    {
        var gaps = Gaps(parts, align).ToList();
        var result = new List<(long, long)> { (parts[0].Start, sizes[0]) };
        for (var i = 1; i < parts.Count; i++)
        {
            var (start, size) = result[^1];
            var next = start + size + gaps[i - 1];
            result.Add(((next + align - 1) / align * align, sizes[i]));
        }
        return result;
    }
}
