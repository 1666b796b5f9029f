using L = RescueKit.Formats.Fat.FatBootSectorLayout;

namespace RescueKit.Formats.Fat;

// Pass 2: serialises the plan front to back, so the output stream need not be seekable.
public sealed partial class FatImageBuilder
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Writes exactly <see cref="PlannedSizeBytes"/> bytes: reserved sectors, both FATs, the FAT12/16 root
    /// directory, then the data clusters in order, and zeros for the free space.</summary>
    public void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var plan = Plan;
        var g = plan.Geometry;
        CheckHostFilesUnchanged(plan);

        // 1. Reserved region: boot sector; FAT32 adds FSInfo at 1 and copies of both at BkBootSec (6, 7) as mkfs.fat does.
        var reserved = new byte[g.ReservedSectors * L.SectorSize];
        FatBootSector.Write(reserved, g, _volumeLabel, _volumeId, HiddenSectors);
        if (g.Type == FatType.Fat32)
        {
            long used = plan.UsedClusters;
            FatBootSector.WriteFsInfo(reserved.AsSpan(L.SectorSize), (uint)(g.ClusterCount - used),
                used < g.ClusterCount ? (uint)(used + 2) : uint.MaxValue);
            reserved.AsSpan(0, 2 * L.SectorSize).CopyTo(reserved.AsSpan(L.Fat32BackupBootSector * L.SectorSize));
        }
        output.Write(reserved);

        // 2. Both FAT copies.
        var fat = FatTable.Build(g, L.MediaFixed, plan.Extents.Select(e => (e.FirstCluster, e.ClusterCount)));
        for (int i = 0; i < L.NumberOfFats; i++) output.Write(fat);

        // 3. FAT12/16 root directory region.
        if (g.Type != FatType.Fat32)
            output.Write(RenderDirectory(plan, _root, g.RootDirSectors * L.SectorSize));

        // 4. Data clusters, contiguous from cluster 2, then zeros to the end.
        long written = (g.FirstDataSector) * L.SectorSize;
        foreach (var extent in plan.Extents)
        {
            long bytes = (long)extent.ClusterCount * g.ClusterBytes;
            switch (extent.Node)
            {
                case FatDirectoryNode dir:
                    output.Write(RenderDirectory(plan, dir, (int)bytes));
                    break;
                case FatFileNode file:
                    WriteFile(output, file);
                    WriteZeros(output, bytes - file.Length);
                    break;
            }
            written += bytes;
        }
        WriteZeros(output, g.SizeBytes - written);
        output.Flush();
    }

    /// <summary>Host files are sized when added; refuse to write a wrong image if one changed or vanished since.</summary>
    private static void CheckHostFilesUnchanged(FatPlan plan)
    {
        foreach (var file in plan.Extents.Select(e => e.Node).OfType<FatFileNode>().Where(f => f.HostPath is not null))
        {
            var info = new FileInfo(file.HostPath!);
            if (!info.Exists || info.Length != file.Length)
                throw new IOException($"Host file '{file.HostPath}' changed since it was added ({file.Length} bytes then, " +
                    $"{(info.Exists ? info.Length + " bytes" : "missing")} now).");
        }
    }

    private static void WriteFile(Stream output, FatFileNode file)
    {
        if (file.Content is { } content)
        {
            output.Write(content);
            return;
        }
        using var input = new FileStream(file.HostPath!, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize);
        var buffer = new byte[ChunkSize];
        long remaining = file.Length;
        while (remaining > 0)
        {
            int read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0) throw new IOException($"Host file '{file.HostPath}' became shorter while it was being written.");
            output.Write(buffer, 0, read);
            remaining -= read;
        }
    }

    private static void WriteZeros(Stream output, long count)
    {
        var zeros = new byte[(int)Math.Min(ChunkSize, Math.Max(count, 0))];
        while (count > 0)
        {
            int n = (int)Math.Min(zeros.Length, count);
            output.Write(zeros, 0, n);
            count -= n;
        }
    }

    /// <summary>
    /// One directory's bytes, zero-filled to <paramref name="size"/>: "." and ".." (the root's cluster is written as 0,
    /// also on FAT32), or the volume label entry in the root, then each member's LFN entries and short entry.
    /// </summary>
    private byte[] RenderDirectory(FatPlan plan, FatDirectoryNode dir, int size)
    {
        const int E = FatDirectoryEntryLayout.EntrySize;
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        int at = 0;
        if (dir.IsRoot)
        {
            if (_volumeLabel.Length > 0)
            {
                FatDirectoryEntry.WriteShort(span[at..], FatNames.LabelBytes(_volumeLabel), FatDirectoryEntryLayout.AttrVolumeId, 0, 0, 0, _timestamp);
                at += E;
            }
        }
        else
        {
            FatDirectoryEntry.WriteShort(span[at..], FatNames.Pad(".", ""), FatDirectoryEntryLayout.AttrDirectory, 0, plan.ClusterOf(dir), 0, _timestamp);
            at += E;
            uint parent = dir.Parent!.IsRoot ? 0 : plan.ClusterOf(dir.Parent);
            FatDirectoryEntry.WriteShort(span[at..], FatNames.Pad("..", ""), FatDirectoryEntryLayout.AttrDirectory, 0, parent, 0, _timestamp);
            at += E;
        }

        foreach (var child in dir.SortedChildren)
        {
            var name = plan.Names[child];
            if (name.NeedsLongName)
            {
                int count = FatDirectoryEntry.LongEntryCount(child.Name);
                FatDirectoryEntry.WriteLong(span.Slice(at, count * E), child.Name, FatNames.Checksum(name.Name11));
                at += count * E;
            }
            bool isDir = child is FatDirectoryNode;
            uint fileSize = child is FatFileNode f ? (uint)f.Length : 0;
            FatDirectoryEntry.WriteShort(span[at..], name.Name11,
                isDir ? FatDirectoryEntryLayout.AttrDirectory : FatDirectoryEntryLayout.AttrArchive,
                name.NTRes, plan.ClusterOf(child), fileSize, _timestamp);
            at += E;
        }
        return bytes;
    }
}
