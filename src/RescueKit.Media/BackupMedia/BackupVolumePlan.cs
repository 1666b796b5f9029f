using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Media.BackupMedia;

/// <summary>One file of a backup set as it travels on the media: its path relative to the set and its size.</summary>
internal sealed record BackupFile(string RelativePath, string HostPath, long Size)
{
    /// <summary>Archive chunks (under <c>sets/</c>) are spread over the volumes; everything else goes on each one.</summary>
    public bool IsChunk => RelativePath.StartsWith(BackupSetNames.SetsDirectory + "/", StringComparison.Ordinal);
}

/// <summary>The chunks one medium of a series carries (volume 1 also carries the rescue system).</summary>
internal sealed record BackupVolume(int Number, IReadOnlyList<BackupFile> Chunks);

/// <summary>
/// Spreads a backup set's chunks over media of one capacity, in set order, so the restore reads the discs one after
/// another. Sizes come from the ISO writer's own plan (<paramref name="measure"/>), never from an estimate, so what is
/// planned is exactly what is written.
/// </summary>
public static class BackupVolumePlanner
{
    /// <summary>Room kept free on every medium for the per-volume index (volume.json), which is written after planning.</summary>
    public const long IndexReserveBytes = 64 * 1024;

    /// <param name="chunks">The chunk files in restore order.</param>
    /// <param name="capacity">Bytes one medium holds.</param>
    /// <param name="measure">The image size of volume N holding the given chunks (with everything else that volume carries).</param>
    internal static IReadOnlyList<BackupVolume> Plan(IReadOnlyList<BackupFile> chunks, long capacity,
        Func<int, IReadOnlyList<BackupFile>, long> measure)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        var limit = capacity - IndexReserveBytes;
        var volumes = new List<BackupVolume>();
        var current = new List<BackupFile>();
        var number = 1;
        var empty = measure(number, current);
        if (empty > limit)
            throw new MediumTooSmallException(
                $"the rescue system alone needs {Size(empty)}, more than a medium of {Size(capacity)} holds", null);
        foreach (var chunk in chunks)
        {
            current.Add(chunk);
            if (measure(number, current) <= limit) continue;
            current.RemoveAt(current.Count - 1);
            if (current.Count == 0 && number > 1)
                throw ChunkTooLarge(chunk, capacity);
            volumes.Add(new BackupVolume(number, [.. current]));
            current = [chunk];
            number++;
            if (measure(number, current) > limit)
                throw ChunkTooLarge(chunk, capacity);
        }
        volumes.Add(new BackupVolume(number, [.. current]));
        return volumes;
    }

    /// <summary>
    /// The chunk size for media of <paramref name="capacity"/> bytes: 1 GiB, or a quarter of the medium when that is
    /// less, in whole MiB, so a series wastes little of each disc.
    /// </summary>
    public static long ChunkSizeFor(long capacity) =>
        Math.Max(ChunkSizes.Min, Math.Min(ChunkSizes.Default, capacity / 4) & ~((1L << 20) - 1));

    private static MediumTooSmallException ChunkTooLarge(BackupFile chunk, long capacity) =>
        new($"the chunk {chunk.RelativePath} ({Size(chunk.Size)}) does not fit on a medium of {Size(capacity)}",
            chunk.RelativePath);

    private static string Size(long bytes) => $"{bytes / 1_000_000.0:F1} MB";
}
