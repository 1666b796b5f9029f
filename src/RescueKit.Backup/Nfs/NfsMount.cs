using System.Globalization;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Backup.Nfs;

/// <summary>
/// An NFS export mounted on a private mount point under /run/rescuekit/ for the length of one command (backup to an
/// NFS target, verify/compare/extract of a backup there). Disposing it unmounts and removes the mount point, also after
/// a failure or a cancellation; nothing is ever deleted below a mount point that is still mounted.
/// </summary>
internal sealed class NfsMount : IDisposable
{
    /// <summary>
    /// How long mount may take before it counts as "the server does not answer" and is killed (a kernel NFS mount
    /// waits in a killable sleep). A live server answers in well under a second; an address that drops packets
    /// would otherwise keep mount.nfs retrying for its own two minutes.
    /// </summary>
    public static readonly TimeSpan MountTimeout = TimeSpan.FromSeconds(60);

    // soft, not hard: with hard a dead server blocks the backup (and cron's next run, behind the lock) forever, and
    // umount with it. soft turns ~150 s of silence (timeo=150 tenths of a second, growing by that much with each of
    // retrans=3 retransmissions over TCP, nfs(5)) into an I/O error. That error cannot lose data silently here:
    // every chunk and the manifest are fsynced, so a failed write surfaces in the writer, the set stays a hidden
    // .ID.partial directory and never gets a manifest or its final name (docs/backup.md). retry=0: mount.nfs tries
    // once, and MountTimeout bounds that try.
    private const string CommonOptions = "soft,timeo=150,retrans=3,retry=0";

    private readonly IToolRunner _runner;
    private readonly ILogger _log;
    private bool _disposed;

    private NfsMount(NfsUrl url, string path, IToolRunner runner, ILogger log)
    {
        Url = url;
        Path = path;
        _runner = runner;
        _log = log;
    }

    public NfsUrl Url { get; }

    /// <summary>The mount point; <see cref="Url"/>'s directory is its root.</summary>
    public string Path { get; }

    /// <summary>
    /// Mounts <paramref name="url"/>'s directory, read-write when <paramref name="writable"/>. NFSv4 first (TCP, one
    /// port, no rpcbind, statd or mountd: what a firewall or a rescue system lets through); NFSv3 only when the server
    /// says it does not speak v4.
    /// </summary>
    public static NfsMount Mount(NfsUrl url, bool writable, IToolRunner runner, ILogger log, CancellationToken cancellationToken)
    {
        if (runner.Find("mount.nfs") is null)
            throw new MissingPrerequisiteException("mount.nfs (the NFS client, needed for " + url + ")", DebianPackages.For("mount.nfs"));
        var path = PrivateMountPoint.Create("nfs", url.ToString());
        try
        {
            var port = url.Port is { } p ? ",port=" + p.ToString(CultureInfo.InvariantCulture) : "";
            var access = writable ? "rw" : "ro";
            var failed = TryMount(runner, ["mount", "-t", "nfs4", "-o", $"{access},{CommonOptions}{port}", url.MountSource, path],
                url, cancellationToken);
            if (failed is not null && NfsMountFailure.Classify(failed.Result.StandardError) == NfsMountFailure.Reason.VersionNotSupported)
                // nolock: v3 locking needs rpc.statd on both sides, which a rescue system does not run; the host lock
                // file then only excludes other backups from this machine, and each host has its own directory.
                failed = TryMount(runner, ["mount", "-t", "nfs", "-o", $"{access},vers=3,proto=tcp,nolock,{CommonOptions}{port}", url.MountSource, path],
                    url, cancellationToken);
            if (failed is not null) throw NfsMountFailure.Exception(failed, url);
            log.Information("Mounted {Url} on {MountPoint} ({Access})", url.ToString(), path, access);
            return new NfsMount(url, path, runner, log);
        }
        catch
        {
            PrivateMountPoint.Remove(path, log);
            throw;
        }
    }

    /// <summary>The path below the mount point of <paramref name="relative"/> (a/b) in the export.</summary>
    public string Local(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>A path below the mount point as the user knows it: nfs://HOST/PATH/...</summary>
    public string Describe(string localPath) =>
        localPath == Path ? Url.ToString()
        : localPath.StartsWith(Path + "/", StringComparison.Ordinal) ? Url.Append(localPath[(Path.Length + 1)..]).ToString()
        : localPath;

    /// <summary>The same error with the mount point in its message replaced by the URL the user gave.</summary>
    public RescueKitException Translate(RescueKitException e) => PrivateMountPoint.Translate(Path, e, Url.ToString());

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        PrivateMountPoint.Unmount(Path, _runner, _log);
    }

    /// <summary>Runs one mount; null when it mounted, the failure otherwise. A mount that outlives <see cref="MountTimeout"/> is killed.</summary>
    private static ToolFailedException? TryMount(IToolRunner runner, IReadOnlyList<string> argv, NfsUrl url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(MountTimeout);
        try
        {
            runner.Run(argv, cancellationToken: deadline.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw NfsMountFailure.NoAnswer(url, MountTimeout);
        }
        catch (ToolFailedException e)
        {
            return e;
        }
    }
}
