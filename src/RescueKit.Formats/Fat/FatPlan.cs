using D = RescueKit.Formats.Fat.FatDirectoryEntryLayout;

namespace RescueKit.Formats.Fat;

/// <summary>A run of clusters holding one directory or file; runs are contiguous and in cluster order.</summary>
internal sealed record FatExtent(FatNode Node, uint FirstCluster, uint ClusterCount);

/// <summary>The short name, NTRes flags and whether an LFN is needed, for one directory member.</summary>
internal sealed record FatEntryName(byte[] Name11, byte NTRes, bool NeedsLongName)
{
    public int EntryCount(string longName) => 1 + (NeedsLongName ? FatDirectoryEntry.LongEntryCount(longName) : 0);
}

/// <summary>
/// Pass 1 of the two-pass build: names, geometry and cluster numbers. Pass 2 (<see cref="FatImageBuilder.WriteTo"/>)
/// only serialises what is fixed here.
/// </summary>
internal sealed class FatPlan
{
    private FatPlan(FatGeometry geometry, IReadOnlyDictionary<FatNode, FatEntryName> names,
        IReadOnlyList<FatExtent> extents, IReadOnlyDictionary<FatNode, uint> firstClusters)
    {
        Geometry = geometry;
        Names = names;
        Extents = extents;
        FirstClusters = firstClusters;
    }

    public FatGeometry Geometry { get; }
    public IReadOnlyDictionary<FatNode, FatEntryName> Names { get; }
    public IReadOnlyList<FatExtent> Extents { get; }
    public IReadOnlyDictionary<FatNode, uint> FirstClusters { get; }

    public uint ClusterOf(FatNode node) => FirstClusters.TryGetValue(node, out var c) ? c : 0;

    public long UsedClusters => Extents.Sum(e => (long)e.ClusterCount);

    /// <summary>
    /// Picks the smallest image that holds the content plus a margin and at least <paramref name="minimumBytes"/>;
    /// among equal sizes the lower FAT type, then the Microsoft-recommended cluster size, wins.
    /// </summary>
    public static FatPlan Create(FatDirectoryNode root, bool hasLabel, FatType? forcedType, long? minimumBytes)
    {
        var names = AssignNames(root);
        var directories = Directories(root).ToList();
        foreach (var dir in directories)
            if (DirectoryEntryCount(dir, names, hasLabel) > D.MaxEntriesPerDirectory)
                throw new ArgumentException(
                    $"FAT directory '{dir.Name}' needs more than {D.MaxEntriesPerDirectory} entries (including long-name entries).", "path");
        var files = directories.SelectMany(d => d.Children.Values.OfType<FatFileNode>()).ToList();
        long minimumSectors = ((minimumBytes ?? 0) + FatBootSectorLayout.SectorSize - 1) / FatBootSectorLayout.SectorSize;

        FatGeometry? best = null;
        foreach (var type in forcedType is { } t ? [t] : new[] { FatType.Fat12, FatType.Fat16, FatType.Fat32 })
        {
            int maxSpc = forcedType is null && type != FatType.Fat32 ? AutoMaxSectorsPerCluster(type) : 64;
            for (int spc = 1; spc <= maxSpc; spc *= 2)
            {
                var geometry = TryGeometry(type, spc, root, directories, files, names, hasLabel, minimumSectors);
                if (geometry is not null && (best is null || IsBetter(geometry, best))) best = geometry;
            }
        }
        if (best is null)
            throw forcedType is { } ft
                ? new ArgumentException($"Type {ft} cannot hold this content in an image of at least {minimumBytes ?? 0} bytes " +
                    $"with a legal cluster count; pick another type or leave Type null.", "Type")
                : new ArgumentException("The content does not fit any FAT12/16/32 image with clusters of at most 32 KiB.", "MinimumSizeBytes");
        var extents = Allocate(best, root, names, hasLabel);
        return new FatPlan(best, names, extents, extents.ToDictionary(e => e.Node, e => e.FirstCluster));

        static IEnumerable<FatDirectoryNode> Directories(FatDirectoryNode d) =>
            new[] { d }.Concat(d.SortedChildren.OfType<FatDirectoryNode>().SelectMany(Directories));
    }

    /// <summary>
    /// The smallest geometry of this type and cluster size that holds the content plus the margin, has at least
    /// <paramref name="minimumSectors"/>, and has a cluster count safely inside the type's range; else null.
    /// </summary>
    private static FatGeometry? TryGeometry(FatType type, int spc, FatDirectoryNode root, List<FatDirectoryNode> directories,
        List<FatFileNode> files, IReadOnlyDictionary<FatNode, FatEntryName> names, bool hasLabel, long minimumSectors)
    {
        int cb = spc * FatBootSectorLayout.SectorSize;
        // FAT12/16 keep the root in a fixed region: 224 entries (floppy default) or 512, more if the root needs it.
        int rootEntryCount = type == FatType.Fat32 ? 0
            : Math.Max(type == FatType.Fat12 ? 224 : 512, (DirectoryEntryCount(root, names, hasLabel) + 15) / 16 * 16);
        if (rootEntryCount > 0xFFF0) return null;

        long content = files.Sum(f => Clusters(f.Length, cb))
            + directories.Where(d => !d.IsRoot || type == FatType.Fat32)
                .Sum(d => Clusters((long)DirectoryEntryCount(d, names, hasLabel) * D.EntrySize, cb, minimum: 1));
        long need = content + Margin(content, cb);
        if (type == FatType.Fat16) need = Math.Max(need, FatGeometry.Fat16MinClusters + FatGeometry.BoundaryMargin);
        if (type == FatType.Fat32) need = Math.Max(need, FatGeometry.Fat32MinClusters + FatGeometry.BoundaryMargin);

        var exact = new FatGeometry(type, spc, FatGeometry.ReservedSectorsFor(type), rootEntryCount, FatGeometry.FatSectorsFor(type, need), 0);
        long total = Math.Max(exact.FirstDataSector + need * spc, minimumSectors);
        if (total > uint.MaxValue) return null;
        var geometry = FatGeometry.ForTotalSectors(type, spc, rootEntryCount, (uint)total);
        return geometry.ClusterCount >= content && FatGeometry.IsSafeClusterCount(type, geometry.ClusterCount) ? geometry : null;
    }

    /// <summary>Entries in a directory: "." and ".." (not in the root), the label (root only), then each member's LFN + short entry.</summary>
    public static int DirectoryEntryCount(FatDirectoryNode dir, IReadOnlyDictionary<FatNode, FatEntryName> names, bool hasLabel) =>
        (dir.IsRoot ? (hasLabel ? 1 : 0) : 2) + dir.Children.Values.Sum(c => names[c].EntryCount(c.Name));

    // Free space beyond the content: 1/16 of it, at least 64 KiB, so an ESP can take a small update.
    private static long Margin(long contentClusters, int clusterBytes) =>
        Math.Max(contentClusters / 16, Clusters(64 * 1024, clusterBytes));

    private static long Clusters(long bytes, int clusterBytes, long minimum = 0) =>
        Math.Max(minimum, (bytes + clusterBytes - 1) / clusterBytes);

    // Without a forced type, FAT12 stays small-cluster and FAT16 stops at 8 KiB clusters (≤ 512 MiB, Microsoft's table).
    private static int AutoMaxSectorsPerCluster(FatType type) => type == FatType.Fat12 ? 8 : 16;

    private static bool IsBetter(FatGeometry candidate, FatGeometry best)
    {
        if (candidate.TotalSectors != best.TotalSectors) return candidate.TotalSectors < best.TotalSectors;
        if (candidate.Type != best.Type) return candidate.Type < best.Type;
        int want = RecommendedSectorsPerCluster(candidate.Type, candidate.SizeBytes);
        return Math.Abs(Math.Log2(candidate.SectorsPerCluster) - Math.Log2(want))
             < Math.Abs(Math.Log2(best.SectorsPerCluster) - Math.Log2(want));
    }

    /// <summary>Microsoft's cluster-size tables (formats.md §10), used only to break ties between equal sizes.</summary>
    private static int RecommendedSectorsPerCluster(FatType type, long bytes)
    {
        const long MiB = 1024 * 1024;
        return type switch
        {
            FatType.Fat12 => 1,
            FatType.Fat16 => bytes <= 16 * MiB ? 2 : bytes <= 128 * MiB ? 4 : bytes <= 256 * MiB ? 8 : 16,
            _ => bytes <= 260 * MiB ? 1 : bytes <= 8192 * MiB ? 8 : bytes <= 16384 * MiB ? 16 : bytes <= 32768 * MiB ? 32 : 64,
        };
    }

    /// <summary>Short names per directory: names that already are 8.3 keep theirs first, then the others get a basis or ~N.</summary>
    private static Dictionary<FatNode, FatEntryName> AssignNames(FatDirectoryNode root)
    {
        var result = new Dictionary<FatNode, FatEntryName>();
        var pending = new Stack<FatDirectoryNode>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            var taken = new HashSet<string>(StringComparer.Ordinal);
            var needLfn = new List<FatNode>();
            foreach (var child in dir.SortedChildren)
            {
                if (FatNames.TryExactShortName(child.Name, out var name11, out var ntRes))
                {
                    taken.Add(FatNames.Key(name11));
                    result[child] = new FatEntryName(name11, ntRes, NeedsLongName: false);
                }
                else needLfn.Add(child);
                if (child is FatDirectoryNode sub) pending.Push(sub);
            }
            foreach (var child in needLfn)
                result[child] = new FatEntryName(FatNames.GenerateShortName(child.Name, taken), 0, NeedsLongName: true);
        }
        return result;
    }

    /// <summary>Clusters from 2 upward in pre-order: each directory, then its members in name order. Every file and
    /// directory is one contiguous run, so the image can be written front to back and firmware reads unfragmented files.</summary>
    private static List<FatExtent> Allocate(FatGeometry g, FatDirectoryNode root,
        IReadOnlyDictionary<FatNode, FatEntryName> names, bool hasLabel)
    {
        var extents = new List<FatExtent>();
        uint next = 2;
        void Add(FatNode node, long bytes, long minimum)
        {
            uint count = (uint)Clusters(bytes, g.ClusterBytes, minimum);
            if (count == 0) return;
            extents.Add(new FatExtent(node, next, count));
            next += count;
        }
        void Visit(FatDirectoryNode dir)
        {
            if (!dir.IsRoot || g.Type == FatType.Fat32)
                Add(dir, (long)DirectoryEntryCount(dir, names, hasLabel) * D.EntrySize, minimum: 1);
            foreach (var child in dir.SortedChildren)
            {
                if (child is FatFileNode file) Add(file, file.Length, minimum: 0);
                else Visit((FatDirectoryNode)child);
            }
        }
        Visit(root);
        return extents;
    }
}
