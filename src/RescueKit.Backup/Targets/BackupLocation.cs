using RescueKit.Backup.Nfs;
using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Backup.Targets;

/// <summary>
/// A backup opened where it is: a backup directory, or <c>nfs://HOST[:PORT]/PATH/HOST/ID</c>, whose host directory is
/// mounted read-only while this is open (so the incrementals' bases beside it are there too) and unmounted when it is
/// disposed, or <c>http://HOST[:PORT]/PATH/HOST/ID/</c>, whose small files are fetched to a staging directory and whose
/// chunks are streamed as they are read (<see cref="HttpBackup"/>). Whoever reads a backup (verify, extract, compare, the restore) opens it here, so every kind of location is
/// opened the same way.
/// </summary>
public sealed class BackupLocation : IDisposable
{
    private readonly NfsMount? _mount;
    private readonly HttpBackup? _http;

    private BackupLocation(BackupSet set, NfsMount? mount, HttpBackup? http = null)
    {
        Set = set;
        _mount = mount;
        _http = http;
    }

    public BackupSet Set { get; }

    /// <summary>Where the backup is, as the user named it.</summary>
    public string Where => _mount?.Describe(Set.Directory) ?? Set.Origin;

    /// <param name="reference">A backup directory, or an nfs:// or http:// URL of one.</param>
    /// <param name="name">What the reference is called in messages (the BACKUP argument).</param>
    public static BackupLocation Open(string reference, IToolRunner runner, ILogger log, CancellationToken cancellationToken,
        string name = "BACKUP")
    {
        if (reference.StartsWith("tftp://", StringComparison.OrdinalIgnoreCase))
            throw new BadInputException(
                $"{name} {reference}: a backup is not read over TFTP: serve it over HTTP (rescuekit serve --backups DIR) and give its http:// URL");
        if (HttpBackup.IsHttp(reference))
        {
            var http = HttpBackup.Open(reference, name, log, cancellationToken);
            return new BackupLocation(http.Set, null, http);
        }
        if (!NfsUrl.IsNfs(reference)) return new BackupLocation(BackupSet.Open(reference), null);
        var url = NfsUrl.Parse(reference, name);
        var hostDirectory = url.Parent() ?? throw new BadInputException(
            $"{name} {reference} names an export, not a backup: give nfs://SERVER/PATH/HOST/ID (the backup's own directory)");
        var mount = NfsMount.Mount(hostDirectory, writable: false, runner, log, cancellationToken);
        try
        {
            return new BackupLocation(BackupSet.Open(mount.Local(url.Name)), mount);
        }
        catch (Exception e)
        {
            mount.Dispose();
            if (e is RescueKitException known) throw mount.Translate(known);
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="reference"/>, runs <paramref name="work"/> on it and closes it (unmounting an NFS backup);
    /// an error of the work names the backup by the URL, not by the mount point.
    /// </summary>
    public static T Use<T>(string reference, IToolRunner runner, ILogger log, CancellationToken cancellationToken,
        Func<BackupLocation, T> work)
    {
        using var location = Open(reference, runner, log, cancellationToken);
        try
        {
            return work(location);
        }
        catch (RescueKitException e)
        {
            throw location.Translate(e);
        }
    }

    /// <summary>The same error with the mount point in its message replaced by the URL the user gave.</summary>
    public RescueKitException Translate(RescueKitException e) => _mount?.Translate(e) ?? e;

    public void Dispose()
    {
        _mount?.Dispose();
        _http?.Dispose();
    }
}
