using RescueKit.Backup.Archive;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>
/// One filesystem's archive stream, in stages on their own threads joined by bounded hand-offs, so reading,
/// compressing and hashing/encrypting/writing overlap (issue 3 "Backup"): TreeArchiver writes the tar through the
/// compressor (libzstd's worker threads; gzip in a stage of its own, behind a hand-off) into a <see cref="BlockHandoff"/>
/// that the <see cref="ChunkedWriter"/> takes it from. Each hand-off holds at most <see cref="HandoffBytes"/>, which with
/// the compressor's windows keeps the memory
/// bounded whatever the size of the tree. The first failure of any stage stops the others and is what is thrown.
/// </summary>
internal static class SetPipeline
{
    // 8 blocks of 1 MiB between two stages: the compressor's output comes in writes of up to 1 MiB.
    private const int BlockSize = 1 << 20;
    private const int Blocks = 8;

    /// <summary>The most bytes between two stages.</summary>
    public const long HandoffBytes = (long)BlockSize * Blocks;

    public static (ArchiveSummary Summary, IReadOnlyList<BackupFile> Chunks) Run(
        ArchiveOptions options, IArchiveObserver observer, BackupCompression compression, ChunkedWriter output,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var compressed = new BlockHandoff(BlockSize, Blocks);
        ArchiveSummary? summary = null;
        var failure = new FirstFailure();

        // gzip compresses on the thread that calls it, so it gets a stage of its own; libzstd hands the work to its
        // worker threads and "none" has none, so for them the archiver writes straight into the compressor.
        var tasks = new List<Task>();
        if (compression.Algorithm == SetCompression.Gzip)
        {
            var tar = new BlockHandoff(BlockSize, Blocks);
            tasks.Add(Stage(stop, failure, [tar], () =>
            {
                using var tarStream = tar.Writer;
                summary = TreeArchiver.Write(options, tarStream, observer, stop.Token);
            }));
            tasks.Add(Stage(stop, failure, [tar, compressed], () =>
            {
                using var compressor = SetCompression.Compress(compression, compressed.Writer);
                tar.DrainTo(compressor);
            }));
        }
        else
        {
            tasks.Add(Stage(stop, failure, [compressed], () =>
            {
                using var compressor = SetCompression.Compress(compression, compressed.Writer);
                summary = TreeArchiver.Write(options, compressor, observer, stop.Token);
            }));
        }
        tasks.Add(Stage(stop, failure, [compressed], () => compressed.DrainTo(output)));

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

    /// <summary>Runs a stage on its own thread. When it fails, the hand-offs it touches are failed with the error (so a
    /// stage waiting on one wakes) and the others are cancelled.</summary>
    private static Task Stage(CancellationTokenSource stop, FirstFailure failure, BlockHandoff[] handoffs, Action body) =>
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
                foreach (var h in handoffs) h.Fail(e);
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private sealed class FirstFailure
    {
        public Exception? Error;
    }
}
