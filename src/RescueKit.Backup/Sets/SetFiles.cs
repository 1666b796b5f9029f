using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>The names of a backup directory's archives and catalog, which depend on the compression (docs/backup.md
/// "Set format"; the fixed names are <see cref="BackupSetNames"/>). A stream's name is also bound
/// into its encrypted records, so a chunk cannot be passed off as another stream's.</summary>
internal static class SetFiles
{
    /// <summary>sets/&lt;set&gt;.tar.zst (.tar.gz, .tar); its chunks append .000, .001 …</summary>
    public static string Archive(string set, BackupCompression compression) =>
        $"{BackupSetNames.SetsDirectory}/{set}.tar{SetCompression.Suffix(compression.Algorithm)}";

    /// <summary>catalog.jsonl.zst (.jsonl.gz, .jsonl).</summary>
    public static string Catalog(BackupCompression compression) => $"catalog.jsonl{SetCompression.Suffix(compression.Algorithm)}";
}
