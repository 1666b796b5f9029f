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
        // A set of a filesystem the host did not mount (a second ESP) has no place in a tree of the host's root: it goes
        // into the directory only when it is the one set asked for.
        if (sets.Count > 1 && sets.FirstOrDefault(s => s.Unmounted) is { } unmounted)
        {
            if (setNames.Count > 0)
                throw new BadInputException($"the set {unmounted.Name} ({unmounted.FsType} on {unmounted.Device}) was not mounted on the host, so it has no place among the other sets: restore it on its own into a directory of its own");
            foreach (var left in sets.Where(s => s.Unmounted))
                log.Information("Set {Name} ({FsType} on {Device}, not mounted on the host) left out: restore it on its own into a directory of its own",
                    left.Name, left.FsType, left.Device);
            sets = sets.Where(s => !s.Unmounted).ToList();
        }
        if (includes is { Count: > 0 }) sets = sets.Where(s => !s.Unmounted && IncludeFilter.CanMatchUnder(includes, s.MountPoint)).ToList();
        var root = Path.GetFullPath(target);
        var result = new List<(FilesystemSet, string, long)>();
        // / before /boot before /boot/efi: a set's directory exists, or is made, inside the one it sits in.
        foreach (var set in sets.InMountOrder(s => s.MountPoint))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = set.MountPoint is "/" or "" ? root : Path.Join(root, set.MountPoint);
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
