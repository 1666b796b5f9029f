using RescueKit.Backup.Archive;
using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using Serilog;

namespace RescueKit.Restore.Modes;

/// <summary>
/// `restore --files-only`: the backup's sets (all, or those named) extracted into one directory in mount-point order,
/// each under its mount point, so the directory looks like the host's root. With include globs (absolute paths on the
/// host, as the excludes of a backup) only the matching files and directories come back, and the sets that hold none
/// are not read. No disk is touched; any Linux machine will do.
/// </summary>
public static class FilesOnlyRestore
{
    /// <returns>Each set extracted, in order, with its member count.</returns>
    public static IReadOnlyList<(FilesystemSet Set, string Directory, long Members)> Run(BackupSet backup, IReadOnlyList<string> setNames,
        string target, BackupKey.Source? key, ExtractOptions options, ILogger log, CancellationToken cancellationToken,
        IReadOnlyList<string>? includes = null)
    {
        var sets = setNames.Count == 0 ? backup.Manifest.Sets.ToList() : setNames.Select(backup.Set).ToList();
        if (includes is { Count: > 0 }) sets = sets.Where(s => IncludeFilter.CanMatchUnder(includes, s.MountPoint)).ToList();
        var root = Path.GetFullPath(target);
        var result = new List<(FilesystemSet, string, long)>();
        // / before /boot before /boot/efi: a set's directory exists, or is made, inside the one it sits in.
        foreach (var set in sets.InMountOrder(s => s.MountPoint))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = set.MountPoint == "/" ? root : Path.Join(root, set.MountPoint);
            Directory.CreateDirectory(directory);
            var setOptions = includes is { Count: > 0 }
                ? new ExtractOptions { RestoreOwners = options.RestoreOwners, OnWarning = options.OnWarning, Include = new IncludeFilter(includes, set.MountPoint) }
                : options;
            var members = new BackupExtractor(log).Extract(backup, set.Name, directory, key, setOptions, cancellationToken);
            result.Add((set, directory, members));
        }
        return result;
    }
}
