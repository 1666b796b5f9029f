using RescueKit.Backup.Archive;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>Keeps what the archiver reported, and can run a step when a given entry has been reported.</summary>
internal sealed class RecordingObserver : IArchiveObserver
{
    public List<(ArchivedEntry Entry, bool Archived)> Entries { get; } = [];

    public List<(string Path, string Message)> Warnings { get; } = [];

    public Action<ArchivedEntry>? AfterEntry { get; init; }

    public void OnEntry(ArchivedEntry entry, bool archived)
    {
        Entries.Add((entry, archived));
        AfterEntry?.Invoke(entry);
    }

    public void OnWarning(string path, string message) => Warnings.Add((path, message));
}
