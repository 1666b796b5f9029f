using L = RescueKit.Formats.Fat.FatBootSectorLayout;

namespace RescueKit.Formats.Fat;

/// <summary>
/// The numbers that fix a FAT volume's layout (formats.md §10 "Type selection" and "Layout"): reserved sectors,
/// two FATs, the FAT12/16 root directory, then the data clusters numbered from 2.
/// </summary>
internal sealed record FatGeometry(FatType Type, int SectorsPerCluster, int ReservedSectors, int RootEntryCount,
    uint FatSectors, uint TotalSectors)
{
    public const int DirectoryEntrySize = 32;

    /// <summary>Cluster counts stay this far from the 4085/65525 boundaries, where drivers disagree.</summary>
    public const int BoundaryMargin = 16;

    public const long Fat12MaxClusters = 4084;
    public const long Fat16MinClusters = 4085;
    public const long Fat16MaxClusters = 65524;
    public const long Fat32MinClusters = 65525;
    /// <summary>Cluster numbers from 0x0FFFFFF7 up are reserved (bad cluster, end of chain).</summary>
    public const long Fat32MaxClusters = 0x0FFFFFF5;

    public int RootDirSectors => (RootEntryCount * DirectoryEntrySize + L.SectorSize - 1) / L.SectorSize;
    public long FirstDataSector => ReservedSectors + (long)L.NumberOfFats * FatSectors + RootDirSectors;
    public long ClusterCount => (TotalSectors - FirstDataSector) / SectorsPerCluster;
    public int ClusterBytes => SectorsPerCluster * L.SectorSize;
    public long SizeBytes => (long)TotalSectors * L.SectorSize;

    /// <summary>The type a driver infers from a cluster count (Microsoft FAT spec; EDK2 FatPkg Init.c agrees).</summary>
    public static FatType Classify(long clusters) =>
        clusters < Fat16MinClusters ? FatType.Fat12 : clusters < Fat32MinClusters ? FatType.Fat16 : FatType.Fat32;

    /// <summary>True when <paramref name="clusters"/> is the given type, with <see cref="BoundaryMargin"/> to spare.</summary>
    public static bool IsSafeClusterCount(FatType type, long clusters) => type switch
    {
        FatType.Fat12 => clusters is >= 1 and <= Fat12MaxClusters - BoundaryMargin,
        FatType.Fat16 => clusters is >= Fat16MinClusters + BoundaryMargin and <= Fat16MaxClusters - BoundaryMargin,
        _ => clusters is >= Fat32MinClusters + BoundaryMargin and <= Fat32MaxClusters,
    };

    public static int BitsPerEntry(FatType type) => type switch { FatType.Fat12 => 12, FatType.Fat16 => 16, _ => 32 };

    /// <summary>Sectors one FAT needs for <paramref name="clusters"/> data clusters plus the two reserved entries.</summary>
    public static uint FatSectorsFor(FatType type, long clusters) =>
        (uint)(((clusters + 2) * BitsPerEntry(type) + 8 * L.SectorSize - 1) / (8 * L.SectorSize));

    public static int ReservedSectorsFor(FatType type) =>
        type == FatType.Fat32 ? L.Fat32ReservedSectors : L.Fat1216ReservedSectors;

    /// <summary>
    /// The geometry for a fixed total size: the formats.md §10 sizing loop, which grows the FAT until it covers the
    /// clusters left after it. The caller checks that the resulting cluster count suits the type.
    /// </summary>
    public static FatGeometry ForTotalSectors(FatType type, int sectorsPerCluster, int rootEntryCount, uint totalSectors)
    {
        int reserved = ReservedSectorsFor(type);
        var geometry = new FatGeometry(type, sectorsPerCluster, reserved, rootEntryCount, 1, totalSectors);
        while (true)
        {
            uint need = FatSectorsFor(type, geometry.DataClustersIfPositive);
            if (need <= geometry.FatSectors) break;
            geometry = geometry with { FatSectors = need };
        }
        // The loop overshoots a little (its first guess ignores the FAT); shrink the FAT while it still covers the
        // clusters, so every sector the FAT does not need becomes data.
        while (geometry.FatSectors > 1)
        {
            var smaller = geometry with { FatSectors = geometry.FatSectors - 1 };
            if (FatSectorsFor(type, smaller.DataClustersIfPositive) > smaller.FatSectors) break;
            geometry = smaller;
        }
        return geometry;
    }

    private long DataClustersIfPositive => Math.Max(0, (TotalSectors - FirstDataSector) / SectorsPerCluster);
}
