using RescueKit.Host.Native;
using RescueKit.Core;

namespace RescueKit.Backup.Archive;

/// <summary>
/// Starts reading the tree from disk ahead of <see cref="TreeArchiver"/>, so that reading overlaps compressing (issue 3
/// "Backup"). A thread of its own walks the same tree in the same order and asks the kernel to read each regular
/// file's data into the page cache (POSIX_FADV_WILLNEED, which returns without waiting), never more than
/// <see cref="Window"/> bytes of file data ahead of the archiver. The archiver's preads then find the data cached
/// instead of leaving the compressor's workers idle while one file after the other comes from the disk; the walk also
/// brings the inodes into the cache before the archiver's statx and open need them.
/// <para>Only a hint: nothing it does changes what is archived. What it cannot open or stat is passed over (the
/// archiver itself warns about it). Sparse files (fewer blocks than their size) are not hinted, since WILLNEED over
/// their holes would fill the cache with zero pages, nor are the second and later names of a hard-linked inode, whose
/// data the archiver does not read again.</para>
/// </summary>
internal sealed class ReadAhead : IDisposable
{
    /// <summary>How far ahead of the archiver it reads by default: about half a second of what two cores compress.</summary>
    public const long DefaultWindow = 64L << 20;

    // A large file is hinted in pieces, so the window moves with the archiver's reads inside it.
    private const long Piece = 4L << 20;

    // How long the read-ahead sleeps when the archiver misses the wake-up (it only pulses while the read-ahead waits).
    private const int WaitMilliseconds = 10;

    private readonly string root;
    private readonly IReadOnlyList<PathGlob> excludes;
    private readonly Thread thread;
    private readonly object gate = new();

    // The files hinted and not yet passed by the archiver, oldest first, and the sum of their hinted bytes; touched
    // by the read-ahead thread only.
    private readonly Queue<Hinted> ahead = new();
    private long aheadBytes;
    private long totalHinted;

    // Where the archiver is: its walk position (0 is the root) and how far it has read into that entry's data.
    private long archiverIndex;
    private long archiverOffset;
    private volatile bool waiting;
    private volatile bool stopped;
    private Exception? failure;

    private sealed class Hinted(long index)
    {
        public long Index { get; } = index;

        public long Bytes { get; set; }
    }

    public ReadAhead(string root, IReadOnlyList<PathGlob> excludes, long window = DefaultWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, Piece);
        this.root = root;
        this.excludes = excludes;
        Window = window;
        thread = new Thread(Run) { IsBackground = true, Name = "read-ahead" };
        thread.Start();
    }

    public long Window { get; }

    /// <summary>Bytes hinted in all (for tests: what the read-ahead has asked the kernel to read so far).</summary>
    public long TotalHinted => Interlocked.Read(ref totalHinted);

    /// <summary>The archiver has reached the <paramref name="index"/>-th entry of its walk (the root is 0).</summary>
    public void Reached(long index)
    {
        Volatile.Write(ref archiverOffset, 0);
        Volatile.Write(ref archiverIndex, index);
        Wake();
    }

    /// <summary>The archiver has read the current entry's data up to <paramref name="offset"/>.</summary>
    public void ReadTo(long offset)
    {
        Volatile.Write(ref archiverOffset, offset);
        Wake();
    }

    /// <summary>Stops the read-ahead and waits for its thread; throws what made it fail, if anything but the tree did
    /// (a bug: the tree's own errors are the archiver's to report).</summary>
    public void Complete()
    {
        Dispose();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    public void Dispose()
    {
        stopped = true;
        lock (gate) Monitor.PulseAll(gate);
        thread.Join();
    }

    private void Wake()
    {
        if (!waiting) return;
        lock (gate) Monitor.PulseAll(gate);
    }

    private void Run()
    {
        try
        {
            var index = -1L;
            var linked = new HashSet<(ulong Device, ulong Inode)>();
            foreach (var item in TreeWalker.Walk(root, excludes, static (_, _) => { }, CancellationToken.None))
            {
                index++;
                if (stopped) return;
                var status = item.Status;
                if (status.Kind != FileKind.Regular || status.Size == 0 || status.Blocks * 512 < status.Size) continue;
                if (status.Nlink > 1 && !linked.Add((status.Device, status.Inode))) continue;
                Hint(item, index);
            }
        }
        catch (BadInputException)
        {
            // The root cannot be read: the archiver says so.
        }
        catch (Exception e)
        {
            failure = e;
        }
    }

    private void Hint(WalkItem item, long index)
    {
        UnixFd file;
        try
        {
            file = item.Directory.OpenFileForReading(item.Name);
        }
        catch (NativeIOException)
        {
            return;
        }
        using (file)
        {
            var hinted = new Hinted(index);
            ahead.Enqueue(hinted);
            var size = item.Status.Size;
            for (long at = 0; at < size;)
            {
                var piece = Math.Min(Piece, size - at);
                if (!WaitForRoom(piece, index)) return;
                file.AdviseWillNeed(at, piece);
                hinted.Bytes += piece;
                aheadBytes += piece;
                Interlocked.Add(ref totalHinted, piece);
                at += piece;
            }
        }
    }

    // Waits until another piece fits in the window; false when the read-ahead is stopped or the archiver has already
    // passed the file (reading the rest of it ahead would be for nothing).
    private bool WaitForRoom(long piece, long index)
    {
        while (true)
        {
            if (stopped || Volatile.Read(ref archiverIndex) > index) return false;
            if (Outstanding() + piece <= Window) return true;
            lock (gate)
            {
                waiting = true;
                if (!stopped && Outstanding() + piece > Window) Monitor.Wait(gate, WaitMilliseconds);
                waiting = false;
            }
        }
    }

    // The hinted bytes the archiver has not read yet: those of the files it has not reached, and the part of its
    // current file beyond its offset.
    private long Outstanding()
    {
        var index = Volatile.Read(ref archiverIndex);
        while (ahead.Count > 0 && ahead.Peek().Index < index) aheadBytes -= ahead.Dequeue().Bytes;
        if (ahead.Count == 0 || ahead.Peek().Index != index) return aheadBytes;
        return aheadBytes - Math.Min(Volatile.Read(ref archiverOffset), ahead.Peek().Bytes);
    }
}
