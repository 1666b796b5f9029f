using RescueKit.Backup.Nfs;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Backup.Sets;

/// <summary>
/// One backup run, resolved and ready to write: the request, how many backups of the host to keep after it, and with
/// <see cref="Nfs"/> the export the request's target (and an nfs:// <see cref="BackupRequest.Since"/>) are relative
/// to once it is mounted; with <see cref="UsbLabel"/> the USB stick data partition of that label the target is, with
/// <see cref="UsbPartition"/> the data partition at that place of a stick just written (docs/usb.md).
/// </summary>
public sealed record BackupJob(BackupRequest Request, int? Keep, NfsUrl? Nfs, string? UsbLabel = null, UsbDataPartition? UsbPartition = null)
{
    /// <summary>
    /// Writes and publishes the set, then prunes to <see cref="Keep"/>; an NFS target is mounted for that and unmounted
    /// after, whatever happens, and so is a USB stick's data partition. <paramref name="withProgress"/> runs the write, handing it the progress to report to (a
    /// bar the caller draws around it, or log lines). Returns the set and where it is as the user names it (an nfs://
    /// URL for an NFS target: the set's local path is gone with the mount).
    /// </summary>
    public (BackupSet Set, string Where) Run(IToolRunner runner, ILogger log,
        Func<Func<IBackupProgress, BackupSet>, BackupSet> withProgress, CancellationToken cancellationToken)
    {
        if (UsbPartition is not null || UsbLabel is not null)
        {
            using var stick = UsbPartition is { } at ? UsbDataMount.MountAt(at, runner, log, cancellationToken)
                : UsbDataMount.Mount(UsbLabel!, runner, log, cancellationToken);
            var free = UsbPartition is null ? 0 : new DriveInfo(stick.Path).AvailableFreeSpace;
            try
            {
                var set = Write(Request with { Target = stick.Path }, runner, log, withProgress, cancellationToken);
                return (set, stick.Describe(set.Directory));
            }
            catch (BackupTargetFullException e) when (UsbPartition is { } full)
            {
                throw new UsbDataPartitionFullException(full, free, Request.Filesystems.Sum(f => BackupSetWriter.EstimatedBytes(f.MountPoint)), e);
            }
            catch (RescueKitException e)
            {
                throw stick.Translate(e);
            }
        }
        if (Nfs is not { } url)
        {
            var local = Write(Request, runner, log, withProgress, cancellationToken);
            return (local, local.Directory);
        }
        using var mount = NfsMount.Mount(url, writable: true, runner, log, cancellationToken);
        try
        {
            var since = Request.Since;
            var request = Request with
            {
                Target = mount.Path,
                Since = since is not null && NfsUrl.IsNfs(since) ? mount.Local(url.RelativePathOf(NfsUrl.Parse(since, "the base backup"))!) : since,
            };
            var set = Write(request, runner, log, withProgress, cancellationToken);
            return (set, mount.Describe(set.Directory));
        }
        catch (RescueKitException e)
        {
            throw mount.Translate(e);
        }
    }

    private BackupSet Write(BackupRequest request, IToolRunner runner, ILogger log, Func<Func<IBackupProgress, BackupSet>, BackupSet> withProgress,
        CancellationToken cancellationToken)
    {
        // The filesystems the host does not mount are mounted read-only for the write, and unmounted whatever happens.
        // One that cannot be mounted is left out with a warning: the other sets are the backup's point.
        var privateMounts = new List<string>();
        try
        {
            var filesystems = new List<SourceFilesystem>();
            var warnings = new List<BackupWarning>(request.Warnings);
            foreach (var fs in request.Filesystems)
            {
                if (!fs.Unmounted)
                {
                    filesystems.Add(fs);
                    continue;
                }
                var dir = PrivateMountPoint.Create("unmounted", fs.Device);
                try
                {
                    runner.Run(["mount", "-t", fs.FsType, "-o", "ro", fs.Device, dir], cancellationToken: cancellationToken);
                }
                catch (ToolFailedException e)
                {
                    PrivateMountPoint.Remove(dir, log);
                    log.Warning("The {FsType} filesystem on {Device} (not mounted on this host) cannot be mounted to be archived: {Error}",
                        fs.FsType, fs.Device, e.Message);
                    warnings.Add(new BackupWarning(fs.Name, fs.Device, $"not archived: it could not be mounted read-only ({e.Message})"));
                    continue;
                }
                privateMounts.Add(dir);
                filesystems.Add(fs with { MountPoint = dir });
            }
            return WriteMounted(request with { Filesystems = filesystems, Warnings = warnings }, log, withProgress, cancellationToken);
        }
        finally
        {
            foreach (var dir in privateMounts) PrivateMountPoint.Unmount(dir, runner, log);
        }
    }

    private BackupSet WriteMounted(BackupRequest request, ILogger log, Func<Func<IBackupProgress, BackupSet>, BackupSet> withProgress,
        CancellationToken cancellationToken)
    {
        log.Information("Backing up {Sets} to {Target}",
            string.Join(", ", request.Filesystems.Select(f => $"{f.Name} ({f.MountPoint})")), request.Target);
        var writer = new BackupSetWriter(log);
        var backup = withProgress(progress => writer.Write(request, progress, cancellationToken));
        if (Keep is { } n)
            foreach (var removed in new BackupRepository(request.Target, request.Host).Prune(n))
                log.Information("Pruned backup {Id} (keeping the newest {Keep})", removed, n);
        return backup;
    }
}
