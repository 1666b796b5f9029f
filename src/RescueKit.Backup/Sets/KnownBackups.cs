using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>
/// The backups a restore can choose among: the one the rescue system found, every other complete backup beside it in
/// its repository's host directory (<c>&lt;root&gt;/&lt;host&gt;/&lt;id&gt;/</c>, DESIGN §6: the older ones of the same
/// machine), and any others it was told of (a USB stick's data partition lists its own). Newest first; a directory
/// named twice is one backup; one that is not a complete backup (no manifest, one that cannot be read) is left out.
/// </summary>
public static class KnownBackups
{
    public static IReadOnlyList<BackupSet> Around(string? found, IEnumerable<string> others)
    {
        var candidates = new List<string>();
        if (found is not null)
        {
            candidates.Add(found);
            var hostDirectory = Path.GetDirectoryName(Path.GetFullPath(found).TrimEnd('/'));
            if (hostDirectory is not null && Directory.Exists(hostDirectory))
                candidates.AddRange(Directory.EnumerateDirectories(hostDirectory).Where(d => !Path.GetFileName(d).StartsWith('.')));
        }
        candidates.AddRange(others);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var backups = new List<BackupSet>();
        foreach (var directory in candidates)
        {
            var full = Path.GetFullPath(directory).TrimEnd('/');
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
        return backups.OrderByDescending(b => b.Manifest.CreatedUtc).ThenByDescending(b => b.Name, StringComparer.Ordinal).ToList();
    }
}
