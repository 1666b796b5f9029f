using RescueKit.Core.IO;

namespace RescueKit.Backup.Sets;

/// <summary>Passes a stream through and tells how many bytes have been read from it so far: an extract's progress is
/// the share of the set's stored chunks read, which is known before it starts (the manifest's chunk sizes).</summary>
internal sealed class ReadCounter(Stream inner, Action<long> onRead) : SequentialReadStream
{
    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        if (n > 0) onRead(n);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
