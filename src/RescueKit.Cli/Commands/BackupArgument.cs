using System.CommandLine;

namespace RescueKit.Cli.Commands;

/// <summary>The BACKUP argument of verify, extract and compare, which <see cref="Backup.Targets.BackupLocation"/> opens.</summary>
internal static class BackupArgument
{
    public static Argument<string> Create() =>
        new("BACKUP") { Description = "The backup directory (holding manifest.json), nfs://SERVER[:PORT]/PATH/HOST/ID, or http://SERVER[:PORT]/backups/HOST/ID/ (rescuekit serve --backups)" };
}
