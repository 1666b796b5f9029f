namespace RescueKit.Backup.Archive;

/// <summary>What <see cref="TreeArchiver"/> archives.</summary>
internal sealed class ArchiveOptions
{
    /// <summary>The directory to archive: normally a filesystem's mount point; the walk stays on its filesystem.</summary>
    public required string Root { get; init; }

    /// <summary>
    /// Glob patterns matched against each entry's absolute path (<c>*</c> also matches '/', so <c>*.swp</c> matches
    /// at any depth; <c>?</c>, <c>[a-z]</c>, <c>[!x]</c> and <c>\</c> escapes as in the shell). A match leaves the entry
    /// out and, for a directory, everything in it: <c>/tmp/*</c> keeps /tmp itself but not its contents.
    /// </summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Asked for each entry after lstat and before any content is read (incremental backups): false leaves
    /// it out of the archive, though a directory's contents are still walked.</summary>
    public Func<ArchivedEntry, bool>? Select { get; init; }
}
