namespace RescueKit.Backup.Archive;

/// <summary>Hears about every entry the walk meets and every problem that did not stop the backup.</summary>
internal interface IArchiveObserver
{
    /// <summary>An entry of the tree; <paramref name="archived"/> is false when Select left it out.</summary>
    void OnEntry(ArchivedEntry entry, bool archived);

    /// <summary>Something was skipped or archived imperfectly (a socket, an unreadable or vanishing file); the
    /// backup goes on. <paramref name="path"/> is the absolute path, decoded lossily for display.</summary>
    void OnWarning(string path, string message);
}

/// <summary>What one <see cref="TreeArchiver.Write"/> did: entries archived, file content bytes stored, warnings.</summary>
internal sealed record ArchiveSummary(long Entries, long ContentBytes, int Warnings);
