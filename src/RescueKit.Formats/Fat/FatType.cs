namespace RescueKit.Formats.Fat;

/// <summary>The FAT variant; decided only by the cluster count (formats.md §10).</summary>
public enum FatType
{
    Fat12,
    Fat16,
    Fat32,
}
