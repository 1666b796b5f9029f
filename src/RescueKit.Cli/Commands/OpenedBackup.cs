using RescueKit.Backup.Nfs;
using RescueKit.Backup.Sets;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>
/// The BACKUP argument of verify, extract and compare, opened: a backup directory, or
/// <c>nfs://HOST[:PORT]/PATH/HOST/ID</c>, whose host directory is mounted read-only for the command (so the
/// incrementals' bases beside it are there too) and unmounted when this is disposed.
/// </summary>
internal sealed class OpenedBackup : IDisposable
{
    public const string Description = "The backup directory (holding manifest.json), or nfs://SERVER[:PORT]/PATH/HOST/ID";

    private readonly NfsMount? _mount;

    private OpenedBackup(BackupSet set, NfsMount? mount)
    {
        Set = set;
        _mount = mount;
    }

    public BackupSet Set { get; }

    /// <summary>Where the backup is, as the user named it.</summary>
    public string Where => _mount?.Describe(Set.Directory) ?? Set.Directory;

    private static OpenedBackup Open(string reference, IToolRunner runner, ILogger log, CancellationToken cancellationToken)
    {
        if (!NfsUrl.IsNfs(reference)) return new OpenedBackup(BackupSet.Open(reference), null);
        var url = NfsUrl.Parse(reference, "BACKUP");
        var hostDirectory = url.Parent() ?? throw new BadInputException(
            $"BACKUP {reference} names an export, not a backup: give nfs://SERVER/PATH/HOST/ID (the backup's own directory)");
        var mount = NfsMount.Mount(hostDirectory, writable: false, runner, log, cancellationToken);
        try
        {
            return new OpenedBackup(BackupSet.Open(mount.Local(url.Name)), mount);
        }
        catch (Exception e)
        {
            mount.Dispose();
            if (e is RescueKitException known) throw mount.Translate(known);
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="reference"/>, runs <paramref name="command"/> on it and closes it (unmounting an NFS
    /// backup); an error of the command names the backup by the URL, not by the mount point.
    /// </summary>
    public static int Run(string reference, IToolRunner runner, ILogger log, CancellationToken cancellationToken,
        Func<OpenedBackup, int> command)
    {
        using var opened = Open(reference, runner, log, cancellationToken);
        try
        {
            return command(opened);
        }
        catch (RescueKitException e)
        {
            throw opened._mount?.Translate(e) ?? e;
        }
    }

    public void Dispose() => _mount?.Dispose();
}
