namespace RescueKit.Formats.Iso9660;

// Placement of Rock Ridge continuation areas (SUSP 1.12 5.1) in their own blocks after the ISO directories.
internal sealed partial class IsoPlan
{
    private readonly record struct ContinuationBlocks(uint Lba, uint Blocks, IReadOnlyList<SystemUseArea> Areas);

    /// <summary>Packs every continuation area into blocks, none crossing a block boundary (Linux rejects that).</summary>
    private ContinuationBlocks PlaceContinuationAreas(ref uint lba)
    {
        var areas = new List<SystemUseArea>();
        foreach (var d in IsoDirectories)
        {
            if (d.DotSystemUse!.Continuation is not null) areas.Add(d.DotSystemUse);
            areas.AddRange(d.Children.Values.Select(c => c.NamedSystemUse!).Where(s => s.Continuation is not null));
        }
        var start = lba;
        uint block = 0, offset = 0;
        foreach (var a in areas)
        {
            var len = (uint)a.Continuation!.Length;
            if (offset + len > IsoEncoding.BlockSize) { block++; offset = 0; }
            a.ContinuationLba = start + block;
            a.ContinuationOffset = offset;
            offset += len;
        }
        var blocks = areas.Count == 0 ? 0 : block + 1;
        lba += blocks;
        return new ContinuationBlocks(start, blocks, areas);
    }

    private static byte[] RenderContinuationAreas(ContinuationBlocks c)
    {
        var bytes = new byte[c.Blocks * IsoEncoding.BlockSize];
        foreach (var a in c.Areas)
            a.Continuation!.CopyTo(bytes.AsSpan((int)((a.ContinuationLba - c.Lba) * IsoEncoding.BlockSize + a.ContinuationOffset)));
        return bytes;
    }
}
