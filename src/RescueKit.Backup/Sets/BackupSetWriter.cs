using RescueKit.Host.Native;
using System.Security.Cryptography;
using System.Text;
using RescueKit.Backup.Archive;
using RescueKit.Core;
using RescueKit.Core.Backup;
using Serilog;

namespace RescueKit.Backup.Sets;

/// <summary>
/// Writes one backup set (DESIGN §6, docs/backup.md): in a hidden staging directory .&lt;id&gt;.partial, layout.json,
/// each filesystem's chunked archive stream, the catalog, and manifest.json last (fsynced, then renamed into place);
/// then the directory is fsynced and renamed to &lt;id&gt;. A backup that fails or is killed never gets its final name,
/// so it never looks like a backup, and the next run removes what it left.
/// </summary>
internal sealed class BackupSetWriter(ILogger log)
{
    public BackupSet Write(BackupRequest request, IBackupProgress progress, CancellationToken cancellationToken)
    {
        if (request.ChunkSize < ChunkSizes.Min)
            throw new BadInputException($"a chunk size of {request.ChunkSize} bytes is below the minimum of 1M");
        var repository = new BackupRepository(request.Target, request.Host);
        var baseBackup = request.Since is null ? null : OpenBase(repository, request.Since);

        // Keys first: a wrong key or passphrase is refused before anything is written.
        var baseKey = baseBackup?.Key(request.Encryption);
        if (baseBackup is not null && (baseBackup.Manifest.Encryption is null) != (request.Encryption is null))
            throw new BadInputException(baseBackup.Manifest.Encryption is null
                ? $"the base backup {baseBackup.Name} is not encrypted, so an incremental on it cannot be: take it unencrypted, or take a full backup"
                : $"the base backup {baseBackup.Name} is encrypted, so its incremental must be too: encrypt it with the base's key or passphrase");
        var key = request.Encryption is null ? null : BackupKey.ForNewBackup(request.Encryption);

        using var hostLock = repository.Lock();
        foreach (var stale in repository.RemoveStalePartials())
            log.Information("Removed {Directory}, left by an interrupted backup", stale);
        var id = repository.NewId(request.Started);
        var staging = repository.StagingDirectory(id);
        try
        {
            Directory.CreateDirectory(Path.Combine(staging, BackupSetNames.SetsDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TargetFailure.Unwritable(e, staging);
        }

        try
        {
            var manifest = WriteStaged(request, staging, id, baseBackup, baseKey, key, progress, cancellationToken);
            var final = repository.BackupDirectory(id);
            Publish(staging, final, manifest);
            log.Information("Backup {Id} published in {Directory}", id, final);
            return BackupSet.Open(final);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    private BackupManifest WriteStaged(BackupRequest request, string staging, string id, BackupSet? baseBackup,
        BackupKey? baseKey, BackupKey? key, IBackupProgress progress, CancellationToken cancellationToken)
    {
        var layout = WriteSmallFile(staging, BackupSetNames.Layout, Encoding.UTF8.GetBytes(request.LayoutJson));
        var warnings = new List<BackupWarning>(request.Warnings);
        var sets = new List<FilesystemSet>();
        var targetDirectory = Path.GetFullPath(request.Target);
        BackupFile catalogFile;
        using (var catalog = new CatalogWriter(staging, request.Compression, key, request.RecordSize))
        {
            foreach (var fs in request.Filesystems)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var incremental = baseBackup is null ? null : new IncrementalBase(baseBackup, baseKey, fs.Name);
                var observer = new SetObserver(fs.Name, catalog, warnings, progress);
                var options = new ArchiveOptions
                {
                    Root = fs.MountPoint,
                    Excludes = DefaultExcludes.For(fs, targetDirectory, request.SwapFiles, request.Excludes),
                    Select = incremental is null ? null : incremental.Select,
                };
                progress.SetStarted(fs, EstimatedBytes(fs.MountPoint));
                log.Debug("Set {Name}: {MountPoint} ({FsType} on {Device}), excludes {Excludes}", fs.Name, fs.MountPoint,
                    fs.FsType, fs.Device, string.Join(' ', options.Excludes));
                using var output = new ChunkedWriter(staging, SetFiles.Archive(fs.Name, request.Compression), numbered: true,
                    request.ChunkSize, key, request.RecordSize);
                var (_, chunks) = SetPipeline.Run(options, observer, request.Compression, output, cancellationToken);
                long deleted = 0;
                if (incremental is not null)
                    foreach (var path in incremental.Deletions())
                    {
                        catalog.Add(CatalogWriter.Deletion(fs.Name, path));
                        deleted++;
                    }
                var set = new FilesystemSet
                {
                    Name = fs.Name,
                    // A filesystem the host does not mount has no mount point; where the backup mounted it is no place of the host's.
                    MountPoint = fs.Unmounted ? "" : fs.MountPoint,
                    Unmounted = fs.Unmounted,
                    Device = fs.Device,
                    FsType = fs.FsType,
                    Uuid = fs.Uuid,
                    Excludes = options.Excludes,
                    EntryCount = observer.Entries,
                    ArchivedEntries = observer.Archived,
                    DeletedEntries = deleted,
                    ContentBytes = observer.ContentBytes,
                    Chunks = chunks,
                };
                sets.Add(set);
                progress.SetFinished(set);
            }
            catalogFile = catalog.Finish();
        }

        return new BackupManifest
        {
            FormatVersion = BackupManifest.CurrentFormatVersion,
            ToolVersion = request.ToolVersion,
            Host = request.Host,
            Id = id,
            CreatedUtc = request.Started.ToUniversalTime(),
            Kind = baseBackup is null ? BackupKinds.Full : BackupKinds.Incremental,
            Base = baseBackup is null ? null : new BackupBase(baseBackup.Name, baseBackup.ManifestSha256),
            Compression = request.Compression,
            ChunkSize = request.ChunkSize,
            Encryption = key?.Describe(request.RecordSize),
            Sets = sets,
            Catalog = catalogFile,
            Layout = layout,
            Warnings = warnings,
        };
    }

    private static BackupSet OpenBase(BackupRepository repository, string since)
    {
        var path = Directory.Exists(since) ? since : Path.Combine(repository.HostDirectory, since);
        if (!Directory.Exists(path))
            throw new BadInputException($"the base backup {since} does not exist (give a backup directory, or the id of a backup in {repository.HostDirectory})");
        var baseBackup = BackupSet.Open(path);
        if (Path.GetDirectoryName(baseBackup.Directory) != repository.HostDirectory)
            throw new BadInputException(
                $"the base backup {since} is not a backup of this host in this target ({repository.HostDirectory}): an incremental must sit beside its base");
        return baseBackup;
    }

    /// <summary>manifest.json (fsynced, then renamed into place), then the directory's own fsync and rename.</summary>
    private static void Publish(string staging, string final, BackupManifest manifest)
    {
        var temporary = Path.Combine(staging, BackupSetNames.Manifest + ".tmp");
        try
        {
            WriteDurably(temporary, Encoding.UTF8.GetBytes(BackupJson.SerializeManifest(manifest) + "\n"));
            File.Move(temporary, Path.Combine(staging, BackupSetNames.Manifest));
            DirectorySync.Sync(Path.Combine(staging, BackupSetNames.SetsDirectory));
            DirectorySync.Sync(staging);
            Directory.Move(staging, final);
            DirectorySync.Sync(Path.GetDirectoryName(final)!);
        }
        catch (IOException e)
        {
            throw TargetFailure.Writing(e, temporary);
        }
    }

    private static BackupFile WriteSmallFile(string directory, string name, byte[] bytes)
    {
        WriteDurably(Path.Combine(directory, name), bytes);
        return new BackupFile(name, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static void WriteDurably(string path, byte[] bytes)
    {
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            throw TargetFailure.Writing(e, path);
        }
    }

    /// <summary>The bytes the filesystem says are in use (the progress bar's 100 %), 0 when it cannot tell.</summary>
    internal static long EstimatedBytes(string mountPoint)
    {
        try
        {
            var drive = new DriveInfo(mountPoint);
            return Math.Max(0, drive.TotalSize - drive.TotalFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    private void TryDelete(string staging)
    {
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("Could not remove {Directory} ({Message}); the next backup removes it", staging, e.Message);
        }
    }

    /// <summary>Counts a set's entries, writes them into the catalog and collects warnings (on the archiver's thread).</summary>
    private sealed class SetObserver(string set, CatalogWriter catalog, List<BackupWarning> warnings, IBackupProgress progress)
        : IArchiveObserver
    {
        public long Entries { get; private set; }
        public long Archived { get; private set; }
        public long ContentBytes { get; private set; }

        public void OnEntry(ArchivedEntry entry, bool archived)
        {
            Entries++;
            if (archived)
            {
                Archived++;
                if (entry.Type == Formats.Tar.TarEntryType.Regular) ContentBytes += entry.Size;
            }
            catalog.Add(CatalogWriter.Describe(set, entry, archived));
            progress.Advanced(ContentBytes, Entries);
        }

        public void OnWarning(string path, string message)
        {
            lock (warnings) warnings.Add(new BackupWarning(set, path, message));
            progress.Warning(path, message);
        }
    }
}
