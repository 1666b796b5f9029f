using RescueKit.Core.Backup;
using RescueKit.Formats.Tar;
using Serilog;

namespace RescueKit.Backup.Sets;

/// <summary>What `rescuekit verify` found: every fault named (a chunk, the catalog, a set), and what was read.</summary>
public sealed record VerifyReport(IReadOnlyList<string> Faults, long Chunks, long StoredBytes, long Members);

/// <summary>
/// Checks a backup end to end (issue 3 "verify"): layout.json's and the catalog's size and SHA-256, the catalog's
/// lines against the manifest's counts, and for each set every chunk's presence, size and SHA-256 while its archive
/// is decrypted, decompressed and parsed to the end with PaxReader. Faults are collected, not thrown, so one run
/// names every bad, missing or truncated chunk.
/// </summary>
public sealed class BackupVerifier(ILogger log)
{
    public VerifyReport Verify(BackupSet backup, BackupKey? key, CancellationToken cancellationToken)
    {
        var faults = VerifyIndex(backup, key).ToList();
        long chunks = 0, stored = 0, members = 0;
        var manifest = backup.Manifest;

        foreach (var set in manifest.Sets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log.Information("Verifying set {Set}: {Chunks} chunks", set.Name, set.Chunks.Count);
            chunks += set.Chunks.Count;
            stored += set.Chunks.Sum(c => c.Size);
            var missing = set.Chunks.Select(c => ChunkedReader.Presence(backup.Files, c)?.Message).OfType<string>().ToList();
            if (missing.Count > 0)
            {
                // The stream cannot be followed past a missing or cut chunk; still name every other bad chunk.
                faults.AddRange(missing);
                faults.AddRange(set.Chunks.Where(c => ChunkedReader.Presence(backup.Files, c) is null)
                    .Select(c => ChunkedReader.Check(backup.Files, c)?.Message).OfType<string>());
                continue;
            }
            members += ReadArchive(backup, set, key, faults, cancellationToken);
        }
        return new VerifyReport(faults, chunks, stored, members);
    }

    /// <summary>What a backup holds beside its archives: layout.json's size and SHA-256, and the catalog read through
    /// and counted against the manifest.</summary>
    public static IReadOnlyList<string> VerifyIndex(BackupSet backup, BackupKey? key)
    {
        var faults = new List<string>();
        var layout = backup.Manifest.Layout;
        if (ChunkedReader.Check(backup.Files, layout) is { } layoutFault) faults.Add(layoutFault.Message);
        CheckCatalog(backup, key, faults);
        return faults;
    }

    /// <summary>The size and SHA-256 of each of <paramref name="files"/>, nothing decoded: the faults, each named.</summary>
    public static IReadOnlyList<string> CheckFiles(BackupSet backup, IEnumerable<BackupFile> files) =>
        files.Select(f => ChunkedReader.Check(backup.Files, f)?.Message).OfType<string>().ToList();

    private static long ReadArchive(BackupSet backup, FilesystemSet set, BackupKey? key, List<string> faults,
        CancellationToken cancellationToken)
    {
        var manifest = backup.Manifest;
        long count = 0;
        var chunks = new ChunkedReader(backup.Files, set.Chunks, key, SetFiles.Archive(set.Name, manifest.Compression));
        try
        {
            using var archive = SetCompression.Decompress(manifest.Compression.Algorithm, chunks);
            using (var reader = new PaxReader(archive, leaveOpen: true))
            {
                while (reader.ReadNext() is { } entry)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (entry.Type == TarEntryType.Regular) reader.OpenData().CopyTo(Stream.Null);
                    count++;
                }
            }
            // Read to the very end, so the last chunk's hash is checked and nothing trails the archive unread.
            archive.CopyTo(Stream.Null);
            if (count != set.ArchivedEntries)
                faults.Add($"set {set.Name}: the archive has {count} members, the manifest says {set.ArchivedEntries}");
        }
        catch (ChunkFaultException e)
        {
            faults.Add(e.Message);
            faults.AddRange(LaterFaults(backup, set, e.Chunk));
        }
        catch (InvalidDataException e)
        {
            // A decoder noticed first; the chunk hashes say which chunk is to blame.
            var blamed = LaterFaults(backup, set, null).ToList();
            faults.AddRange(blamed);
            if (blamed.Count == 0) faults.Add($"set {set.Name}: the archive cannot be read ({e.Message}), though every chunk matches its hash");
        }
        finally
        {
            chunks.Dispose();
        }
        return count;
    }

    /// <summary>The faults of the set's chunks after <paramref name="after"/> (all of them when null), hashed one by one.</summary>
    private static IEnumerable<string> LaterFaults(BackupSet backup, FilesystemSet set, string? after) =>
        set.Chunks.SkipWhile(c => after is not null && c.File != after).Skip(after is null ? 0 : 1)
            .Select(c => ChunkedReader.Check(backup.Files, c)?.Message).OfType<string>();

    private static void CheckCatalog(BackupSet backup, BackupKey? key, List<string> faults)
    {
        var entries = new Dictionary<string, (long Entries, long Archived, long Deleted)>(StringComparer.Ordinal);
        try
        {
            foreach (var e in CatalogReader.Read(backup, key))
            {
                var (n, archived, deleted) = entries.GetValueOrDefault(e.Set);
                entries[e.Set] = e.Deleted ? (n, archived, deleted + 1) : (n + 1, archived + (e.Archived ? 1 : 0), deleted);
            }
        }
        catch (IOException e)
        {
            faults.Add($"catalog: {e.Message}");
            return;
        }
        catch (InvalidDataException e)
        {
            faults.Add($"catalog {backup.Manifest.Catalog.File} cannot be read: {e.Message}");
            return;
        }
        foreach (var set in backup.Manifest.Sets)
        {
            var (n, archived, deleted) = entries.GetValueOrDefault(set.Name);
            if ((n, archived, deleted) != (set.EntryCount, set.ArchivedEntries, set.DeletedEntries))
                faults.Add($"catalog: set {set.Name} lists {n} entries ({archived} archived, {deleted} deleted); " +
                           $"the manifest says {set.EntryCount} ({set.ArchivedEntries} archived, {set.DeletedEntries} deleted)");
        }
    }
}
