namespace RescueKit.Formats.Iso9660;

/// <summary>
/// The System Use data of one directory record: the entries that fit in the record, and the rest in a continuation
/// area reached through a CE entry (SUSP 1.12 5.1). A continuation area must lie within one 2048-byte block
/// (Linux rejects offset+length &gt; block size), so it is limited to one block; the planner places it.
/// </summary>
internal sealed class SystemUseArea
{
    private readonly byte[] inRecord;
    private readonly int ceOffset;

    private SystemUseArea(byte[] inRecord, int ceOffset, byte[]? continuation)
    {
        this.inRecord = inRecord;
        this.ceOffset = ceOffset;
        Continuation = continuation;
    }

    public int RecordLength => inRecord.Length;
    public byte[]? Continuation { get; }

    /// <summary>Where the planner put <see cref="Continuation"/>.</summary>
    public uint ContinuationLba { get; set; }
    public uint ContinuationOffset { get; set; }

    /// <summary>
    /// Packs <paramref name="entries"/> in order into at most <paramref name="capacity"/> bytes; when they do not all
    /// fit, a CE is reserved and every entry from the first that does not fit goes to the continuation area, so
    /// NM/SL pieces stay in order.
    /// </summary>
    public static SystemUseArea Pack(IReadOnlyList<byte[]> entries, int capacity)
    {
        var total = entries.Sum(e => e.Length);
        if (total <= capacity) return new SystemUseArea(entries.SelectMany(e => e).ToArray(), -1, null);

        var used = 0;
        var split = 0;
        while (split < entries.Count && used + entries[split].Length <= capacity - RockRidge.CeLength)
            used += entries[split++].Length;
        var continuation = entries.Skip(split).SelectMany(e => e).ToArray();
        if (continuation.Length > IsoEncoding.BlockSize)
            throw new ArgumentException($"Rock Ridge data of {continuation.Length} bytes exceeds one continuation block");
        var head = entries.Take(split).SelectMany(e => e).Concat(RockRidge.Ce(0, 0, 0)).ToArray();
        return new SystemUseArea(head, used, continuation);
    }

    public void WriteTo(Span<byte> destination)
    {
        inRecord.CopyTo(destination);
        if (Continuation is not null)
            RockRidge.Ce(ContinuationLba, ContinuationOffset, (uint)Continuation.Length).CopyTo(destination[ceOffset..]);
    }
}
