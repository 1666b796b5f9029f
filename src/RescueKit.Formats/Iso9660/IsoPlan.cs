using System.Buffers.Binary;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// The complete layout of one image (formats.md §1, §13): names, directory sizes including Rock Ridge continuation
/// areas, then LBAs, then a list of extents that each know how to write themselves. Writing walks the extents in
/// order, so the image is streamed and its length is exactly <see cref="TotalBytes"/>.
/// </summary>
internal sealed partial class IsoPlan
{
    private const uint FirstDescriptorLba = 16;
    /// <summary>Hybrid images are padded to whole MiB (xorriso's cylinder alignment: 64 heads × 32 sectors).</summary>
    private const long HybridAlignmentBlocks = 1024 * 1024 / IsoEncoding.BlockSize;

    private readonly List<ImageExtent> extents = [];
    private readonly IsoOptions options;
    private readonly BootSetup? boot;

    /// <summary>A run of bytes at a fixed offset; <see cref="Write"/> must emit exactly <see cref="Length"/> bytes.</summary>
    private readonly record struct ImageExtent(long Offset, long Length, Action<ImageOutput> Write);

    /// <summary>The boot objects the planner needs: catalog node, images, and the hybrid MBR code.</summary>
    public sealed record BootSetup(ElToritoOptions Options, IsoFile Catalog, IsoFile? Bios, IsoFile? Efi);

    public long TotalBytes { get; }
    public IReadOnlyList<IsoDirectory> IsoDirectories { get; }
    public IReadOnlyList<IsoDirectory> JolietDirectories { get; }

    public IsoPlan(IsoOptions options, IsoDirectory root, BootSetup? boot)
    {
        this.options = options;
        this.boot = boot;

        // 1. Names of both trees, then path-table order (breadth first, children in record order).
        AssignNames(root);
        IsoDirectories = BreadthFirst(root, d => d.Children.Values.OfType<IsoDirectory>()
            .OrderBy(c => c.IsoName, Comparer<string>.Create(IsoNames.CompareIso)));
        JolietDirectories = BreadthFirst(root, d => DirectoryExtent.JolietChildren(d).OfType<IsoDirectory>());
        if (IsoDirectories.Count > ushort.MaxValue)
            throw new ArgumentException($"{IsoDirectories.Count} directories exceed the path table limit of {ushort.MaxValue}");
        for (var i = 0; i < IsoDirectories.Count; i++) IsoDirectories[i].IsoNumber = i + 1;
        for (var i = 0; i < JolietDirectories.Count; i++) JolietDirectories[i].JolietNumber = i + 1;

        // 2. Rock Ridge System Use areas, then directory sizes (fixed-width fields: LBAs do not change them).
        foreach (var d in IsoDirectories)
        {
            d.DotSystemUse = RockRidgeEntries.Dot(d);
            foreach (var c in d.Children.Values) c.NamedSystemUse = RockRidgeEntries.Named(c);
        }
        foreach (var d in IsoDirectories) d.IsoSize = (uint)DirectoryExtent.RenderIso(d).Length;
        foreach (var d in JolietDirectories) d.JolietSize = (uint)DirectoryExtent.RenderJoliet(d).Length;

        // 3. LBAs, in image order.
        var lba = FirstDescriptorLba;
        var descriptorLba = lba;
        lba += boot is null ? 3u : 4u;
        foreach (var d in IsoDirectories) { d.IsoLba = lba; lba += d.IsoSize / IsoEncoding.BlockSize; }
        var continuations = PlaceContinuationAreas(ref lba);
        var isoPathTable = PathTable.Render(IsoDirectories, joliet: false, bigEndian: false).Length;
        var isoL = lba; lba += Blocks(isoPathTable);
        var isoM = lba; lba += Blocks(isoPathTable);
        foreach (var d in JolietDirectories) { d.JolietLba = lba; lba += d.JolietSize / IsoEncoding.BlockSize; }
        var jolietPathTable = PathTable.Render(JolietDirectories, joliet: true, bigEndian: false).Length;
        var jolietL = lba; lba += Blocks(jolietPathTable);
        var jolietM = lba; lba += Blocks(jolietPathTable);
        var files = FilesInImageOrder();
        var end = (long)lba;
        foreach (var f in files)
        {
            if (end > uint.MaxValue) break;
            f.Lba = (uint)end;
            end += IsoEncoding.BlocksFor(f.Content.Length);
        }

        var hybrid = boot?.Options.HybridMbr is not null;
        var withGpt = hybrid && boot!.Options.HybridGpt;
        var totalBlocks = hybrid ? AlignUp(end + (withGpt ? Blocks(HybridSystemArea.BackupGptLength) : 0), HybridAlignmentBlocks) : end;
        if (totalBlocks > uint.MaxValue)
            throw new ArgumentException($"the image needs {totalBlocks} blocks; ISO 9660 volumes hold at most {uint.MaxValue}");
        if (hybrid && totalBlocks * 4 > uint.MaxValue)
            throw new ArgumentException($"a hybrid image of {totalBlocks * IsoEncoding.BlockSize} bytes exceeds the MBR limit of 2 TiB");
        TotalBytes = totalBlocks * IsoEncoding.BlockSize;

        // 4. Extents.
        var hybridArea = hybrid ? CreateHybridArea((ulong)totalBlocks * 4, withGpt) : null;
        if (hybridArea is not null) Add(0, hybridArea.BuildSystemArea());
        var isoTree = new VolumeDescriptor.Tree(root.IsoLba, root.IsoSize, (uint)isoPathTable, isoL, isoM);
        var jolietTree = new VolumeDescriptor.Tree(root.JolietLba, root.JolietSize, (uint)jolietPathTable, jolietL, jolietM);
        AddBlocks(descriptorLba++, 1, o => o.Write(VolumeDescriptor.Primary(options, root, isoTree, (uint)totalBlocks)));
        if (boot is not null) AddBlocks(descriptorLba++, 1, o => o.Write(VolumeDescriptor.BootRecord(boot.Catalog.Lba)));
        AddBlocks(descriptorLba++, 1, o => o.Write(VolumeDescriptor.Joliet(options, root, jolietTree, (uint)totalBlocks)));
        AddBlocks(descriptorLba, 1, o => o.Write(VolumeDescriptor.Terminator()));
        foreach (var d in IsoDirectories) AddBlocks(d.IsoLba, d.IsoSize / IsoEncoding.BlockSize, o => o.Write(DirectoryExtent.RenderIso(d)));
        if (continuations.Blocks > 0)
            AddBlocks(continuations.Lba, continuations.Blocks, o => o.Write(RenderContinuationAreas(continuations)));
        AddPathTable(isoL, IsoDirectories, joliet: false, bigEndian: false);
        AddPathTable(isoM, IsoDirectories, joliet: false, bigEndian: true);
        foreach (var d in JolietDirectories) AddBlocks(d.JolietLba, d.JolietSize / IsoEncoding.BlockSize, o => o.Write(DirectoryExtent.RenderJoliet(d)));
        AddPathTable(jolietL, JolietDirectories, joliet: true, bigEndian: false);
        AddPathTable(jolietM, JolietDirectories, joliet: true, bigEndian: true);
        foreach (var f in files.Where(f => f.Content.Length > 0))
            AddBlocks(f.Lba, (uint)IsoEncoding.BlocksFor(f.Content.Length), o => WriteFile(o, f));
        if (withGpt)
            extents.Add(new(TotalBytes - HybridSystemArea.BackupGptLength, HybridSystemArea.BackupGptLength,
                o => o.Write(hybridArea!.BuildBackupGpt())));
    }

    /// <summary>Streams the image: each extent in offset order, zeros in between, exactly <see cref="TotalBytes"/> bytes.</summary>
    public void Write(ImageOutput output)
    {
        foreach (var e in extents.OrderBy(e => e.Offset))
        {
            output.WriteZeros(e.Offset - output.Position);
            e.Write(output);
            if (output.Position != e.Offset + e.Length)
                throw new InvalidOperationException($"extent at {e.Offset} wrote {output.Position - e.Offset} bytes, planned {e.Length}");
        }
        output.WriteZeros(TotalBytes - output.Position);
        output.Finish();
    }

    private void Add(long offset, byte[] bytes) => extents.Add(new(offset, bytes.Length, o => o.Write(bytes)));

    private void AddBlocks(uint lba, uint blocks, Action<ImageOutput> write) =>
        extents.Add(new((long)lba * IsoEncoding.BlockSize, (long)blocks * IsoEncoding.BlockSize, o =>
        {
            var start = o.Position;
            write(o);
            o.WriteZeros(start + (long)blocks * IsoEncoding.BlockSize - o.Position);
        }));

    private void AddPathTable(uint lba, IReadOnlyList<IsoDirectory> dirs, bool joliet, bool bigEndian) =>
        AddBlocks(lba, Blocks(PathTable.Render(dirs, joliet, bigEndian: false).Length),
            o => o.Write(PathTable.Render(dirs, joliet, bigEndian)));

    private static uint Blocks(long bytes) => (uint)IsoEncoding.BlocksFor(bytes);

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;

    private static void AssignNames(IsoDirectory dir)
    {
        IsoNames.AssignChildNames(dir);
        foreach (var sub in dir.Children.Values.OfType<IsoDirectory>()) AssignNames(sub);
    }

    private static List<IsoDirectory> BreadthFirst(IsoDirectory root, Func<IsoDirectory, IEnumerable<IsoDirectory>> children)
    {
        var order = new List<IsoDirectory> { root };
        for (var i = 0; i < order.Count; i++) order.AddRange(children(order[i]));
        return order;
    }

    /// <summary>Boot images first (as xorriso does: catalog, EFI image, isolinux.bin), then every other file in tree order.</summary>
    private List<IsoFile> FilesInImageOrder()
    {
        var first = new[] { boot?.Catalog, boot?.Efi, boot?.Bios }.OfType<IsoFile>().Distinct().ToList();
        var rest = IsoDirectories.SelectMany(d => d.Children.Values
                .OrderBy(c => c.IsoName, Comparer<string>.Create(IsoNames.CompareIso)).OfType<IsoFile>())
            .Where(f => !first.Contains(f));
        return [.. first, .. rest];
    }

    private HybridSystemArea CreateHybridArea(ulong totalSectors, bool withGpt)
    {
        var b = boot!;
        (ulong, ulong)? efi = b.Efi is { } e ? ((ulong)e.Lba * 4, (ulong)((e.Content.Length + 511) / 512)) : null;
        return new HybridSystemArea(b.Options.HybridMbr!, options, totalSectors, b.Bios!.Lba, efi, withGpt);
    }

    /// <summary>Copies a file's bytes, patching the boot-info-table into isolinux.bin's copy when asked (formats.md §8).</summary>
    private void WriteFile(ImageOutput output, IsoFile file)
    {
        using var source = file.Content.Open();
        var left = file.Content.Length;
        if (boot is not null && file == boot.Bios)
        {
            var head = new byte[BootInfoTable.ChecksumStart];
            source.ReadExactly(head);
            if (boot.Options.HybridMbr is not null) RequireHybridSignature(source, file);
            if (boot.Options.BootInfoTable)
            {
                var checksum = BootInfoTable.Checksum(source);
                source.Position = BootInfoTable.ChecksumStart;
                BootInfoTable.Patch(head, file.Lba, (uint)file.Content.Length, checksum);
            }
            output.Write(head);
            left -= head.Length;
        }
        var buffer = new byte[1024 * 1024];
        while (left > 0)
        {
            var n = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) throw new IOException($"'{file.Path}' ended {left} bytes before its planned length");
            output.Write(buffer.AsSpan(0, n));
            left -= n;
        }
    }

    /// <summary>isohdpfx.bin jumps to isolinux.bin's hybrid entry point, which only hybrid builds have (magic at 0x40).</summary>
    private static void RequireHybridSignature(Stream source, IsoFile file)
    {
        Span<byte> magic = stackalloc byte[4];
        source.ReadExactly(magic);
        source.Position = BootInfoTable.ChecksumStart;
        if (BinaryPrimitives.ReadUInt32LittleEndian(magic) != BootInfoTable.HybridMagic)
            throw new InvalidDataException($"'{file.Path}' lacks the isohybrid signature 0x7078C0FB at 0x40: use the hybrid isolinux.bin");
    }
}
