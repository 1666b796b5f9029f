namespace RescueKit.Core.IO;

/// <summary>
/// A stream written from start to end once, never read or repositioned: what the backup's writers (compressor, chunk
/// writer, pipeline hand-off) are. Subclasses implement <see cref="Write(ReadOnlySpan{byte})"/>.
/// </summary>
public abstract class SequentialWriteStream : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public abstract override void Write(ReadOnlySpan<byte> buffer);
}
