using System.IO.Pipelines;
using RescueKit.Backup.Archive;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>
/// One filesystem's archive stream, in stages on their own threads joined by bounded pipes, so reading,
/// compressing and hashing/encrypting/writing overlap (issue 3 "Backup"): TreeArchiver writes the tar through the
/// compressor (libzstd's worker threads; gzip in a stage of its own, behind a pipe) into a pipe that the
/// <see cref="ChunkedWriter"/> takes it from. Each pipe holds at most <see cref="PipeBytes"/>, which with the compressor's windows keeps the memory
/// bounded whatever the size of the tree. The first failure of any stage stops the others and is what is thrown.
/// </summary>
internal static class SetPipeline
{
    public const long PipeBytes = 8 << 20;

    public static (ArchiveSummary Summary, IReadOnlyList<BackupFile> Chunks) Run(
        ArchiveOptions options, IArchiveObserver observer, BackupCompression compression, ChunkedWriter output,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var compressed = NewPipe();
        ArchiveSummary? summary = null;
        var failure = new FirstFailure();

        // gzip compresses on the thread that calls it, so it gets a stage of its own; libzstd hands the work to its
        // worker threads and "none" has none, so for them the archiver writes straight into the compressor.
        var tasks = new List<Task>();
        if (compression.Algorithm == SetCompression.Gzip)
        {
            var tar = NewPipe();
            tasks.Add(Stage(stop, failure, [tar.Writer], [], () =>
            {
                using var tarStream = tar.Writer.AsStream();
                summary = TreeArchiver.Write(options, tarStream, observer, stop.Token);
            }));
            tasks.Add(Stage(stop, failure, [compressed.Writer], [tar.Reader], () =>
            {
                using var input = tar.Reader.AsStream();
                using var compressor = SetCompression.Compress(compression, compressed.Writer.AsStream());
                input.CopyTo(compressor, 1 << 20);
            }));
        }
        else
        {
            tasks.Add(Stage(stop, failure, [compressed.Writer], [], () =>
            {
                using var compressor = SetCompression.Compress(compression, compressed.Writer.AsStream());
                summary = TreeArchiver.Write(options, compressor, observer, stop.Token);
            }));
        }
        tasks.Add(Stage(stop, failure, [], [compressed.Reader], () => Drain(compressed.Reader, output)));

        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The stage that failed first stopped the others: throw its error, not what they met after it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure.Error!);
        }
        return (summary!, output.Finish());
    }

    // Writes the pipe's segments to the output as they are, without copying them into a buffer of its own first.
    private static void Drain(PipeReader reader, Stream output)
    {
        while (true)
        {
            var result = reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            foreach (var segment in result.Buffer) output.Write(segment.Span);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted) break;
        }
        reader.Complete();
    }

    private static Pipe NewPipe() =>
        new(new PipeOptions(pauseWriterThreshold: PipeBytes, resumeWriterThreshold: PipeBytes / 2, minimumSegmentSize: 128 << 10,
            useSynchronizationContext: false));

    /// <summary>Runs a stage on its own thread. When it fails, its pipe ends are completed with the error (so a stage
    /// blocked on it wakes) and the others are cancelled.</summary>
    private static Task Stage(CancellationTokenSource stop, FirstFailure failure, PipeWriter[] writes, PipeReader[] reads, Action body) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure.Error, e, null);
                stop.Cancel();
                foreach (var w in writes) w.Complete(e);
                foreach (var r in reads) r.Complete(e);
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private sealed class FirstFailure
    {
        public Exception? Error;
    }
}
