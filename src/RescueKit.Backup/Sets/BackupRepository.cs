using System.Globalization;
using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>
/// The backups of one host under a target: <c>&lt;root&gt;/&lt;host&gt;/&lt;id&gt;/</c> (DESIGN §6). A backup exists only
/// once its directory has its final name and holds manifest.json; one being written lives in a hidden
/// <c>.&lt;id&gt;.partial</c> directory, and a lock file keeps two backups of a host from running at once.
/// </summary>
internal sealed class BackupRepository
{
    public const string IdFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const string PartialSuffix = ".partial";

    public BackupRepository(string root, string host)
    {
        Root = Path.GetFullPath(root);
        Host = host;
        HostDirectory = Path.Combine(Root, host);
    }

    public string Root { get; }
    public string Host { get; }
    public string HostDirectory { get; }

    /// <summary>Creates the host directory and takes the host's lock; an unwritable target is refused here.</summary>
    public IDisposable Lock()
    {
        var lockPath = Path.Combine(HostDirectory, ".lock");
        try
        {
            Directory.CreateDirectory(HostDirectory);
            // .NET takes an flock(2) for FileShare.None, released when the process ends however it ends.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (File.Exists(lockPath) && e.HResult is 11 or 32 or unchecked((int)0x80070020))
        {
            throw new RescueKitException(
                $"another backup of {Host} is running into {HostDirectory} (it holds {lockPath}): wait for it to finish", ExitCodes.Failed, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TargetFailure.Unwritable(e, HostDirectory);
        }
    }

    /// <summary>Removes what interrupted backups left (hidden .ID.partial directories). Call with the lock held.</summary>
    public IReadOnlyList<string> RemoveStalePartials()
    {
        var removed = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(HostDirectory, "." + "*" + PartialSuffix))
        {
            Directory.Delete(dir, recursive: true);
            removed.Add(dir);
        }
        return removed;
    }

    /// <summary>A new backup's id from its start time: the UTC second, moved on a second if that id is taken.</summary>
    public string NewId(DateTimeOffset started)
    {
        var at = started.ToUniversalTime();
        while (true)
        {
            var id = at.ToString(IdFormat, CultureInfo.InvariantCulture);
            if (!Directory.Exists(Path.Combine(HostDirectory, id)) && !Directory.Exists(StagingDirectory(id))) return id;
            at = at.AddSeconds(1);
        }
    }

    public string StagingDirectory(string id) => Path.Combine(HostDirectory, "." + id + PartialSuffix);

    public string BackupDirectory(string id) => Path.Combine(HostDirectory, id);

    /// <summary>The ids of the complete backups (final name and a manifest), oldest first.</summary>
    public IReadOnlyList<string> CompleteBackups() =>
        !Directory.Exists(HostDirectory) ? []
        : Directory.EnumerateDirectories(HostDirectory)
            .Select(Path.GetFileName)
            .Where(name => name is not null && !name.StartsWith('.') && File.Exists(Path.Combine(HostDirectory, name, BackupSetNames.Manifest)))
            .Select(name => name!)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Deletes the oldest complete backups so that <paramref name="keep"/> remain, never one that a kept incremental
    /// backup builds on (its chain must stay restorable). Returns the ids removed.
    /// </summary>
    public IReadOnlyList<string> Prune(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var all = CompleteBackups();
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in all.Skip(Math.Max(0, all.Count - keep)))
        {
            for (string? at = id; at is not null && needed.Add(at);)
                at = BackupSet.Open(BackupDirectory(at)).Manifest.Base?.Id;
        }
        var removed = new List<string>();
        foreach (var id in all.Where(id => !needed.Contains(id)))
        {
            // Hide it first (a rename is atomic), so a crash while deleting never leaves a half-deleted backup that looks whole.
            var hidden = StagingDirectory(id);
            Directory.Move(BackupDirectory(id), hidden);
            Directory.Delete(hidden, recursive: true);
            removed.Add(id);
        }
        return removed;
    }
}
