using RescueKit.Backup.Archive;
using RescueKit.Core;
using RescueKit.Core.Backup;
using Serilog;

namespace RescueKit.Backup.Sets;

/// <summary>
/// Restores one set of a backup into a directory (`rescuekit extract`): the full backup of its chain first, then each
/// incremental in order — its recorded deletions, then its archive — so the result is the tree as the last backup saw
/// it. Every key of the chain is checked before anything is written.
/// </summary>
public sealed class BackupExtractor(ILogger log)
{
    /// <param name="progress">Hears the stored bytes of the chain's chunks read so far and their total, as the
    /// extraction goes.</param>
    public long Extract(BackupSet backup, string setName, string target, BackupKey.Source? keySource, ExtractOptions options,
        CancellationToken cancellationToken, Action<long, long>? progress = null)
    {
        backup.Set(setName);
        var chain = backup.Chain();
        var steps = chain.Select(b => (Backup: b, Key: b.Key(keySource), Set: b.Manifest.Sets.FirstOrDefault(s => s.Name == setName)))
            .ToList();
        if (steps[0].Set is null)
            throw new BadInputException($"set '{setName}' is not in the full backup {steps[0].Backup.Name} that {backup.Name} builds on");
        try
        {
            Directory.CreateDirectory(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"the directory to extract into, {target}, cannot be created ({e.Message}): give a writable directory", e);
        }

        long members = 0;
        var total = steps.Sum(s => s.Set?.Chunks.Sum(c => c.Size) ?? 0);
        long read = 0;
        foreach (var (b, key, set) in steps)
        {
            // A set missing from an intermediate backup was not backed up that time; the next one still lists its tree.
            if (set is null) continue;
            cancellationToken.ThrowIfCancellationRequested();
            if (b.Manifest.Kind == BackupKinds.Incremental)
            {
                log.Information("Applying the {Count} deletions of {Id}", set.DeletedEntries, b.Name);
                TreeExtractor.Delete(target, CatalogReader.Read(b, key).Where(e => e.Deleted && e.Set == setName).Select(e => e.PathBytes()));
            }
            log.Information("Extracting set {Set} of {Id} ({Kind}) into {Target}", setName, b.Name, b.Manifest.Kind, target);
            using var reader = new ChunkedReader(b.Files, set.Chunks, key, SetFiles.Archive(setName, b.Manifest.Compression));
            using var chunks = progress is null ? (Stream)reader : new ReadCounter(reader, n => progress(read += n, total));
            using var archive = SetCompression.Decompress(b.Manifest.Compression.Algorithm, chunks);
            try
            {
                members += TreeExtractor.Extract(archive, target, options, cancellationToken);
            }
            catch (ChunkFaultException e)
            {
                throw new RescueKitException($"backup {b.Name}: {e.Message}; run 'rescuekit verify {b.Origin}'", ExitCodes.CheckFailed, e);
            }
        }
        return members;
    }
}
