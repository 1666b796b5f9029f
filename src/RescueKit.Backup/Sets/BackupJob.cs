using RescueKit.Backup.Nfs;
using RescueKit.Backup.Targets;
using RescueKit.Core;
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
                var set = Write(Request with { Target = stick.Path }, log, withProgress, cancellationToken);
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
            var local = Write(Request, log, withProgress, cancellationToken);
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
            var set = Write(request, log, withProgress, cancellationToken);
            return (set, mount.Describe(set.Directory));
        }
        catch (RescueKitException e)
        {
            throw mount.Translate(e);
        }
    }

    private BackupSet Write(BackupRequest request, ILogger log, Func<Func<IBackupProgress, BackupSet>, BackupSet> withProgress,
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
