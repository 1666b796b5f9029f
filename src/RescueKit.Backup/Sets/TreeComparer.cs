using RescueKit.Backup.Archive;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>One difference between a backup's catalog and a live tree.</summary>
public sealed record TreeDifference(string Kind, string Path, string? Detail)
{
    public const string Added = "added";
    public const string Removed = "removed";
    public const string Changed = "changed";

    public override string ToString() => Detail is null ? $"{Kind} {Path}" : $"{Kind} {Path}: {Detail}";
}

/// <summary>
/// `rescuekit compare`: what differs between a set's catalog (the whole tree at backup time) and a live tree — entries
/// added, removed, or changed in type, size, mode, owner or mtime. The live tree is walked the way the backup walked
/// it (one filesystem, the set's excludes moved to the compared root), nothing is read but metadata.
/// </summary>
public static class TreeComparer
{
    public static IReadOnlyList<TreeDifference> Compare(BackupSet backup, FilesystemSet set, BackupKey? key, string root,
        CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        foreach (var e in CatalogReader.Read(backup, key))
            if (e.Set == set.Name && !e.Deleted) recorded[Display(e.PathBytes())] = e;

        var differences = new List<TreeDifference>();
        var live = new LiveEntries(entry =>
        {
            var path = Display(entry.Path);
            if (!recorded.Remove(path, out var was))
            {
                differences.Add(new TreeDifference(TreeDifference.Added, path, null));
                return;
            }
            var detail = Describe(was, CatalogWriter.Describe(set.Name, entry, archived: false));
            if (detail is not null) differences.Add(new TreeDifference(TreeDifference.Changed, path, detail));
        });
        var rootFull = Path.GetFullPath(root);
        var options = new ArchiveOptions
        {
            Root = rootFull,
            Excludes = set.Excludes.Select(p => Rebase(p, set.MountPoint, rootFull)).ToList(),
            Select = _ => false,
        };
        TreeArchiver.Write(options, Stream.Null, live, cancellationToken);
        differences.AddRange(recorded.Keys.Select(p => new TreeDifference(TreeDifference.Removed, p, null)));
        return differences.OrderBy(d => d.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>What changed, as "size 3 -> 5, mtime ...", or null when nothing compared did.</summary>
    private static string? Describe(CatalogEntry was, CatalogEntry now)
    {
        var changes = new List<string>();
        static string Kind(string? type) => type == CatalogTypes.HardLink ? CatalogTypes.File : type ?? "";
        if (Kind(was.Type) != Kind(now.Type)) changes.Add($"type {was.Type} -> {now.Type}");
        // A directory's size is the filesystem's business, not its contents'.
        if (now.Type != CatalogTypes.Directory && was.Size != now.Size) changes.Add($"size {was.Size} -> {now.Size}");
        if (was.Mode != now.Mode) changes.Add($"mode {Convert.ToString(was.Mode, 8)} -> {Convert.ToString(now.Mode, 8)}");
        if (was.Uid != now.Uid || was.Gid != now.Gid) changes.Add($"owner {was.Uid}:{was.Gid} -> {now.Uid}:{now.Gid}");
        if (was.Mtime != now.Mtime) changes.Add($"mtime {Time(was.Mtime)} -> {Time(now.Mtime)}");
        return changes.Count == 0 ? null : string.Join(", ", changes);
    }

    private static string Time(long nanoseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(nanoseconds / 1_000_000).ToString("yyyy-MM-dd HH:mm:ss.fff'Z'",
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A path for people: UTF-8, with bytes that are not shown as \xNN.</summary>
    private static string Display(byte[] path) =>
        System.Text.Unicode.Utf8.IsValid(path) ? System.Text.Encoding.UTF8.GetString(path)
        : string.Concat(path.Select(b => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}"));

    private static string Rebase(string pattern, string mountPoint, string root)
    {
        var prefix = mountPoint.TrimEnd('/') + "/";
        return pattern.StartsWith(prefix, StringComparison.Ordinal) ? root.TrimEnd('/') + "/" + pattern[prefix.Length..] : pattern;
    }

    private sealed class LiveEntries(Action<ArchivedEntry> onEntry) : IArchiveObserver
    {
        public void OnEntry(ArchivedEntry entry, bool archived) => onEntry(entry);
        public void OnWarning(string path, string message) { }
    }
}
