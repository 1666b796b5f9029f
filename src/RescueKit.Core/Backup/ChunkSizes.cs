namespace RescueKit.Core.Backup;

/// <summary>How large the chunk files of a backup set may be: the backup writer's limits, and the media's.</summary>
public static class ChunkSizes
{
    public const long Default = 1L << 30;

    /// <summary>The smallest chunk the writer accepts.</summary>
    public const long Min = 1L << 20;
}
