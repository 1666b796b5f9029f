namespace RescueKit.Formats.Iso9660;

/// <summary>
/// The output side of the image writer: counts bytes and, when <paramref name="sparse"/> (a fresh file of our own,
/// never a caller's stream that may hold old data, e.g. a USB stick), turns runs of zeros into seeks so padding and
/// sparse source files stay sparse in the image file.
/// </summary>
internal sealed class ImageOutput(Stream stream, bool sparse)
{
    private static readonly byte[] Zeros = new byte[1024 * 1024];
    private readonly long origin = sparse ? stream.Position : 0;
    private bool pendingHole;

    public long Position { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (sparse && data.IndexOfAnyExcept((byte)0) < 0) { WriteZeros(data.Length); return; }
        if (pendingHole) { stream.Seek(origin + Position, SeekOrigin.Begin); pendingHole = false; }
        stream.Write(data);
        Position += data.Length;
    }

    public void WriteZeros(long count)
    {
        if (sparse) { Position += count; pendingHole = count > 0 || pendingHole; return; }
        for (var left = count; left > 0; left -= Math.Min(left, Zeros.Length))
            stream.Write(Zeros, 0, (int)Math.Min(left, Zeros.Length));
        Position += count;
    }

    /// <summary>Makes the stream end exactly at the current position (a trailing hole still has to count).</summary>
    public void Finish()
    {
        if (pendingHole)
        {
            if (stream.Length < origin + Position) stream.SetLength(origin + Position);
            stream.Seek(origin + Position, SeekOrigin.Begin);
        }
        stream.Flush();
    }
}
