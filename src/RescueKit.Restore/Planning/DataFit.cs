using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;

namespace RescueKit.Restore.Planning;

/// <summary>What a backup set puts back into its filesystem: the bytes of its files' content and how many entries
/// (files, directories, links) it has, as the backup's manifest and catalog count them.</summary>
public sealed record SetData(long ContentBytes, long Entries);

/// <summary>
/// How much room a filesystem needs: what its set holds, each entry rounded up by a block, plus 10 % and 64 MiB for
/// the filesystem's own metadata and journal; never less than its mkfs accepts. An estimate on the safe side, used only
/// to refuse shrinking a filesystem below what it must hold and to say which disks are big enough.
/// </summary>
internal static class DataFit
{
    private const long MiB = 1 << 20;

    public static long Need(SetData data, int blockSize) => (long)((data.ContentBytes + data.Entries * (double)blockSize) * 1.1) + 64 * MiB;

    /// <summary>The smallest device mkfs makes this type on (mkfs.xfs refuses under 300 MiB, mkfs.btrfs near 114 MiB,
    /// FAT32 needs 65525 clusters).</summary>
    public static long MkfsMinimum(FilesystemInfo fs) => fs.Type switch
    {
        "xfs" => 300 * MiB,
        "btrfs" => 128 * MiB,
        "vfat" => fs.Vfat?.FatSize == 32 ? 36 * MiB : 2 * MiB,
        _ => 8 * MiB,
    };

    public static int BlockSize(FilesystemInfo fs) => fs.Ext?.BlockSize ?? fs.Xfs?.BlockSize ?? 4096;

    /// <summary>The data of the sets restored into <paramref name="fs"/> together, or null when it is not known (no
    /// backup, or none for this filesystem).</summary>
    public static SetData? DataOf(FilesystemInfo fs, RestorePlanOptions options)
    {
        if (options.SetData is null) return null;
        var known = options.SetsOf(fs).Select(s => options.SetData.GetValueOrDefault(s)).OfType<SetData>().ToList();
        return known.Count == 0 ? null : new SetData(known.Sum(d => d.ContentBytes), known.Sum(d => d.Entries));
    }

    /// <summary>The bytes <paramref name="fs"/> needs at the least.</summary>
    public static long Need(FilesystemInfo fs, RestorePlanOptions options) =>
        Math.Max(MkfsMinimum(fs), DataOf(fs, options) is { } data ? Need(data, BlockSize(fs)) : 0);
}

/// <summary>A filesystem would be made smaller than what its backup set holds. Nothing was written. The message names
/// the filesystem, its new size and the data; a front-end adds how its user picks another disk.</summary>
public sealed class DataDoesNotFitException(string message, IReadOnlyList<string> sourceDisks)
    : RescueKitException(message, ExitCodes.BadInput)
{
    /// <summary>The layout's disks the filesystem sits on.</summary>
    public IReadOnlyList<string> SourceDisks { get; } = sourceDisks;

    public static DataDoesNotFitException For(FilesystemInfo fs, IReadOnlyList<string> sets, SetData data, long newSize, long need, IReadOnlyList<string> sourceDisks) =>
        new($"the {fs.Type} filesystem {fs.MountPoint ?? fs.Device} ({fs.Device} of the layout) would be {ByteSize.Format(newSize)} on the disks chosen, "
            + $"but {(sets.Count == 1 ? $"its set {sets[0]} holds" : $"its sets {string.Join(", ", sets)} hold")} {ByteSize.Format(data.ContentBytes)} in {data.Entries} entries, which need about {ByteSize.Format(need)}: "
            + "restore onto a bigger disk, or choose another target disk", sourceDisks);
}
