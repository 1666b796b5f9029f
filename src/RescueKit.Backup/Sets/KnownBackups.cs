using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>
/// The backups a restore can choose among: the one the rescue system found, every other complete backup beside it in
/// its repository's host directory (<c>&lt;root&gt;/&lt;host&gt;/&lt;id&gt;/</c>, DESIGN §6: the older ones of the same
/// machine), any others it was told of (a USB stick's data partition lists its own), and then the other hosts' backups
/// in the same repository (a replacement machine may take a fleet sibling's backup). The found backup's host comes
/// first, newest first; then the other hosts by name, each newest first. A directory named twice is one backup; one that
/// is not a complete backup (no manifest, one that cannot be read) is left out.
/// </summary>
public static class KnownBackups
{
    public static IReadOnlyList<BackupSet> Around(string? found, IEnumerable<string> others)
    {
        var candidates = new List<string>();
        var foundFull = found is null ? null : Full(found);
        var hostDirectory = foundFull is null ? null : Path.GetDirectoryName(foundFull);
        if (foundFull is not null)
        {
            candidates.Add(foundFull);
            if (hostDirectory is not null && Directory.Exists(hostDirectory)) candidates.AddRange(Visible(hostDirectory));
        }
        candidates.AddRange(others);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var backups = Opened(candidates, seen);
        var host = backups.FirstOrDefault(b => b.Directory == foundFull)?.Manifest.Host;
        // Only a real repository has host directories beside this one: a disc's or a stick's mount point is no
        // <root>/<host>/ (the directory must carry the host's name), so nothing around it is taken for another host.
        if (host is not null && Path.GetFileName(hostDirectory) == host && Path.GetDirectoryName(hostDirectory) is { } repository)
            backups.AddRange(Opened(Visible(repository).Where(d => Path.GetFileName(d) != host).SelectMany(Visible), seen)
                .Where(b => b.Manifest.Host != host));
        return backups.OrderByDescending(b => b.Manifest.Host == host)
            .ThenBy(b => b.Manifest.Host == host ? "" : b.Manifest.Host, StringComparer.Ordinal)
            .ThenByDescending(b => b.Manifest.CreatedUtc).ThenByDescending(b => b.Name, StringComparer.Ordinal).ToList();
    }

    private static string Full(string directory) => Path.GetFullPath(directory).TrimEnd('/');

    private static IEnumerable<string> Visible(string directory) =>
        Directory.EnumerateDirectories(directory).Where(d => !Path.GetFileName(d).StartsWith('.'));

    private static List<BackupSet> Opened(IEnumerable<string> directories, HashSet<string> seen)
    {
        var backups = new List<BackupSet>();
        foreach (var directory in directories)
        {
            var full = Full(directory);
            if (!seen.Add(full) || !File.Exists(Path.Combine(full, BackupSetNames.Manifest))) continue;
            try
            {
                backups.Add(BackupSet.Open(full));
            }
            catch (Core.RescueKitException)
            {
                // A damaged manifest: not a backup to offer (restoring it directly names the damage).
            }
        }
        return backups;
    }
}
