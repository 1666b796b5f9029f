using RescueKit.Core.IO;

namespace RescueKit.Backup.Sets;

/// <summary>
/// Passes a byte stream from one pipeline stage's thread to the next in blocks of <see cref="BlockSize"/> bytes, at
/// most <see cref="Blocks"/> of them allocated at once, so the stages overlap and the memory between them stays
/// bounded (issue 3 "Backup"). The writing stage writes into <see cref="Writer"/>; the reading stage calls
/// <see cref="DrainTo"/>, which hands each full block to its output as it is and then reuses it. Both sides wait on a
/// monitor of their own: no thread pool and no spinning between them, which with System.IO.Pipelines and blocking
/// waits cost a thread-pool wake-up and tens of thousands of sched_yield calls per GiB. Either side's
/// <see cref="Fail"/> wakes the other, whose next wait then throws.
/// </summary>
internal sealed class BlockHandoff
{
    private readonly object gate = new();
    private readonly Queue<(byte[] Block, int Length)> full = new();
    private readonly Stack<byte[]> free = new();
    private int allocated;
    private bool completed;
    private Exception? failure;

    // The writer's block being filled (the writing thread's alone).
    private byte[]? current;
    private int used;

    public BlockHandoff(int blockSize, int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 2);
        BlockSize = blockSize;
        Blocks = blocks;
        Writer = new WriterStream(this);
    }

    public int BlockSize { get; }

    public int Blocks { get; }

    /// <summary>The writing stage's end: a write-only stream; disposing it ends the stream (<see cref="Complete"/>).</summary>
    public Stream Writer { get; }

    /// <summary>Passes on the partly filled last block and marks the end of the stream.</summary>
    public void Complete()
    {
        if (used > 0) Pass();
        lock (gate)
        {
            completed = true;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>Stops the hand-off: the other side's next write or wait throws.</summary>
    public void Fail(Exception error)
    {
        lock (gate)
        {
            failure ??= error;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>Writes every block to <paramref name="output"/> in order until the writer completes.</summary>
    public void DrainTo(Stream output)
    {
        while (true)
        {
            (byte[] Block, int Length) next;
            lock (gate)
            {
                while (full.Count == 0 && !completed && failure is null) Monitor.Wait(gate);
                ThrowIfFailed();
                if (full.Count == 0) return;
                next = full.Dequeue();
            }
            output.Write(next.Block, 0, next.Length);
            lock (gate)
            {
                free.Push(next.Block);
                Monitor.PulseAll(gate);
            }
        }
    }

    private void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            current ??= TakeFree();
            var n = Math.Min(data.Length, current.Length - used);
            data[..n].CopyTo(current.AsSpan(used));
            used += n;
            data = data[n..];
            if (used == current.Length) Pass();
        }
    }

    private byte[] TakeFree()
    {
        lock (gate)
        {
            while (true)
            {
                ThrowIfFailed();
                if (free.Count > 0) return free.Pop();
                if (allocated < Blocks)
                {
                    allocated++;
                    return new byte[BlockSize];
                }
                Monitor.Wait(gate);
            }
        }
    }

    private void Pass()
    {
        lock (gate)
        {
            ThrowIfFailed();
            full.Enqueue((current!, used));
            Monitor.PulseAll(gate);
        }
        current = null;
        used = 0;
    }

    private void ThrowIfFailed()
    {
        if (failure is not null) throw new OperationCanceledException("the other stage of the backup pipeline failed", failure);
    }

    private sealed class WriterStream(BlockHandoff handoff) : SequentialWriteStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => handoff.Write(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing) handoff.Complete();
            base.Dispose(disposing);
        }
    }
}
