namespace RescueKit.Formats;

/// <summary>
/// The output both archive writers (cpio newc, pax) write through: it counts the bytes, latches a failed write so
/// nothing is ever appended after a half-written member, and closes the stream (unless leaveOpen) when the writer is
/// disposed, finishing the archive first if that was neither done nor made impossible.
/// </summary>
internal sealed class ArchiveOutput
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private bool _finished;
    private bool _faulted;
    private bool _disposed;

    public ArchiveOutput(Stream output, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite) throw new ArgumentException("The output stream is not writable.", nameof(output));
        _stream = output;
        _leaveOpen = leaveOpen;
    }

    public long BytesWritten { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _stream.Write(bytes);
        }
        catch
        {
            _faulted = true;
            throw;
        }
        BytesWritten += bytes.Length;
    }

    /// <summary>A member's content did not match its header: the archive can be neither continued nor finished.</summary>
    public void Fault() => _faulted = true;

    public void ThrowIfUnusable(object writer)
    {
        ObjectDisposedException.ThrowIf(_disposed, writer);
        if (_finished) throw new InvalidOperationException("The archive is finished; no more members can be added.");
        if (_faulted) throw new InvalidOperationException("An earlier write failed; the archive is incomplete.");
    }

    /// <summary>Called once the writer has written its end-of-archive bytes.</summary>
    public void MarkFinished()
    {
        _stream.Flush();
        _finished = true;
    }

    /// <summary>Runs <paramref name="finish"/> when the archive was not finished (and no write failed), then closes.</summary>
    public void Dispose(Action finish)
    {
        if (_disposed) return;
        try
        {
            if (!_finished && !_faulted) finish();
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen) _stream.Dispose();
        }
    }
}
