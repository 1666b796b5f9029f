using RescueKit.Backup.Archive;

namespace RescueKit.Backup.Sets;

/// <summary>
/// What a backup never archives (issue 3): the contents of /proc, /sys, /dev, /run and /tmp, the backup target, and
/// active swap files, plus the user's patterns. A default that would match the set's own mount point is dropped — a
/// filesystem someone mounted under /tmp is meant to be backed up whole.
/// </summary>
internal static class DefaultExcludes
{
    public static readonly IReadOnlyList<string> Always = ["/proc/*", "/sys/*", "/dev/*", "/run/*", "/tmp/*"];

    public static IReadOnlyList<string> For(SourceFilesystem filesystem, string targetDirectory, IEnumerable<string> swapFiles,
        IEnumerable<string> userExcludes)
    {
        var root = System.Text.Encoding.UTF8.GetBytes(filesystem.MountPoint);
        var defaults = Always.Append(targetDirectory).Concat(swapFiles)
            .Where(pattern => !new PathGlob(pattern).Matches(root));
        return defaults.Concat(userExcludes).Distinct(StringComparer.Ordinal).ToList();
    }
}
