using RescueKit.Backup.Sets;
using RescueKit.Core.Backup;

namespace RescueKit.Restore.Planning;

/// <summary>What each set of a backup puts back (<see cref="SetData"/>), for the planner's check that a filesystem that
/// shrinks still holds it.</summary>
public static class BackupSetData
{
    /// <summary>
    /// A full backup's manifest counts each set's content. An incremental one's counts only what changed since its base,
    /// so its catalog, which lists the whole tree as it was, is added up instead (it needs the key of an encrypted backup).
    /// </summary>
    public static IReadOnlyDictionary<string, SetData> Of(BackupSet backup, BackupKey? key)
    {
        var entries = backup.Manifest.Sets.ToDictionary(s => s.Name, s => s.EntryCount, StringComparer.Ordinal);
        if (backup.Manifest.Kind == BackupKinds.Full)
            return backup.Manifest.Sets.ToDictionary(s => s.Name, s => new SetData(s.ContentBytes, s.EntryCount), StringComparer.Ordinal);
        var bytes = backup.Manifest.Sets.ToDictionary(s => s.Name, _ => 0L, StringComparer.Ordinal);
        foreach (var entry in CatalogReader.Read(backup, key))
            if (!entry.Deleted && entry.Type == CatalogTypes.File && bytes.ContainsKey(entry.Set))
                bytes[entry.Set] += entry.Size;
        return bytes.ToDictionary(b => b.Key, b => new SetData(b.Value, entries[b.Key]), StringComparer.Ordinal);
    }
}
