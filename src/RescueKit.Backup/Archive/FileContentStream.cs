using RescueKit.Host.Native;
using RescueKit.Core.IO;
using RescueKit.Formats.Tar;

namespace RescueKit.Backup.Archive;

/// <summary>
/// The data of one regular file as its tar member stores it: the whole file, or a sparse file's data segments one
/// after the other. Always gives exactly <see cref="Length"/> bytes: when the file shrinks or a read fails (EIO) the
/// rest is zeros and <see cref="Problem"/> says why, so a changing file never breaks the archive around it. Each
/// read is a pread(2) straight into the consumer's buffer (no copy in between), as large as the consumer asks for
/// within the current segment, and tells the <see cref="ReadAhead"/> how far it got.
/// </summary>
internal sealed class FileContentStream : SequentialReadStream
{
    private readonly UnixFd file;
    private readonly IReadOnlyList<SparseSegment> segments;
    private readonly ReadAhead readAhead;
    private int segment;
    private long segmentDone;
    private long position;

    public FileContentStream(UnixFd file, long size, IReadOnlyList<SparseSegment>? sparseMap, ReadAhead readAhead)
    {
        this.file = file;
        this.readAhead = readAhead;
        segments = sparseMap ?? (size > 0 ? [new SparseSegment(0, size)] : []);
        Length = segments.Sum(s => s.Length);
    }

    /// <summary>Null while the file read back as expected; else what went wrong (the archived data has zeros there).</summary>
    public string? Problem { get; private set; }

    public override long Length { get; }

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    // Reads the next piece of the current segment (zeros once the file has failed or ended early).
    public override int Read(Span<byte> destination)
    {
        if (position == Length || destination.IsEmpty) return 0;
        while (segmentDone == segments[segment].Length)
        {
            segment++;
            segmentDone = 0;
        }
        var current = segments[segment];
        var want = (int)Math.Min(destination.Length, current.Length - segmentDone);
        var got = 0;
        while (Problem is null && got < want)
        {
            try
            {
                var n = file.Read(destination[got..want], current.Offset + segmentDone + got);
                if (n == 0) Problem = "shrank while being read; the missing bytes are archived as zeros";
                got += n;
            }
            catch (NativeIOException e)
            {
                Problem = $"read failed ({e.Message}); the rest is archived as zeros";
            }
        }
        destination[got..want].Clear();
        segmentDone += want;
        position += want;
        readAhead.ReadTo(current.Offset + segmentDone);
        return want;
    }
}
