using RescueKit.Core;
using RescueKit.Core.Layout;

namespace RescueKit.Restore.Planning;

/// <summary>One partition where the restore puts it, in the source disk's logical sectors.</summary>
internal sealed record PartitionGeometry(int Number, long Start, long SizeSectors, long OldSizeSectors, bool Scaled);

/// <summary>
/// A source disk's partitions laid out on a target disk. <see cref="Factor"/> is 1 and <see cref="LastLba"/> null when
/// every partition keeps its start and size.
/// </summary>
internal sealed record DiskGeometry(IReadOnlyList<PartitionGeometry> Partitions, double Factor, long? LastLba)
{
    public bool Resized => Partitions.Any(p => p.SizeSectors != p.OldSizeSectors) || LastLba is not null;

    public PartitionGeometry? Of(int number) => Partitions.FirstOrDefault(p => p.Number == number);
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
