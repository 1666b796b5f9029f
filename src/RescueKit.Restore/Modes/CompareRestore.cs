using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using RescueKit.Host;
using Serilog;
using Spectre.Console;

namespace RescueKit.Restore.Modes;

/// <summary>
/// Compare mode: the system on this machine's disks, mounted read-only under the target root as the backup's layout
/// has it (<see cref="TargetMounts"/>), against the backup's catalog, set by set — what was added, removed or changed
/// since the backup, or whether a restore came out whole. Nothing is written to any disk; everything mounted is
/// unmounted again, also when the comparison fails.
/// </summary>
public sealed class CompareRestore(IAnsiConsole console, IToolRunner runner, RescueEnvironment environment, ILogger log)
{
    /// <summary>The exit code when something differs (as `rescuekit compare`).</summary>
    public const int Differs = 1;

    public string TargetRoot { get; init; } = RescuePaths.TargetRoot;

    public int Run(string? backupReference, BackupKey.Source? keySource, CancellationToken cancellationToken)
    {
        var reference = backupReference ?? RescuePaths.FoundBackup(environment.Variables());
        if (string.IsNullOrEmpty(reference))
            throw new BadInputException("there is no backup to compare with: init found none on the rescue medium, and none was named");
        return BackupLocation.Use(reference, runner, log, cancellationToken, location =>
        {
            var backup = location.Set;
            var key = backup.Key(keySource);
            var layout = LayoutJson.Load(Path.Combine(backup.Directory, BackupSetNames.Layout));
            var mounts = new TargetMounts(runner);
            Directory.CreateDirectory(TargetRoot);
            var mounted = mounts.Mount(layout, TargetRoot, readOnly: true);
            try
            {
                console.WriteLine($"Comparing the disks of this machine with backup {backup.Name} ({location.Where}), read-only under {TargetRoot}:");
                var differences = 0;
                foreach (var set in backup.Manifest.Sets.OrderBy(s => s.MountPoint, StringComparer.Ordinal))
                {
                    if (set.Unmounted)
                    {
                        differences += CompareAside(backup, set, key, layout, mounts, cancellationToken);
                        continue;
                    }
                    var at = mounted.FirstOrDefault(m => m.MountPoint == set.MountPoint);
                    if (at is null)
                    {
                        console.WriteLine($"  {set.Name} ({set.MountPoint}): not compared, the layout mounts no filesystem there");
                        differences++;
                        continue;
                    }
                    differences += CompareSet(backup, set, key, at, $"{set.Name} ({set.MountPoint} on {at.Device})", cancellationToken);
                }
                console.WriteLine(differences == 0
                    ? $"Same: the disks hold what backup {backup.Name} holds."
                    : $"{differences} differences between the disks and backup {backup.Name}.");
                return differences == 0 ? ExitCodes.Ok : Differs;
            }
            finally
            {
                mounts.Unmount(TargetRoot);
            }
        });
    }

    /// <summary>One set against its mounted filesystem: each difference, then a line for the set; returns the count.</summary>
    private int CompareSet(BackupSet backup, FilesystemSet set, BackupKey? key, TargetMounts.Mounted at, string what,
        CancellationToken cancellationToken)
    {
        var found = TreeComparer.Compare(backup, set, key, at.Directory, cancellationToken);
        foreach (var d in found) console.WriteLine($"  {set.Name}: {d}");
        console.WriteLine($"  {what}: {(found.Count == 0 ? "same" : $"{found.Count} differences")}");
        return found.Count;
    }

    /// <summary>A set of a filesystem the host did not mount (a second ESP), compared with that filesystem mounted
    /// read-only beside the target root for the while; returns the differences.</summary>
    private int CompareAside(BackupSet backup, FilesystemSet set, BackupKey? key, HostLayout layout, TargetMounts mounts,
        CancellationToken cancellationToken)
    {
        var what = $"{set.Name} ({set.FsType} on {set.Device}, not mounted on the host)";
        if (layout.Filesystems.FirstOrDefault(f => f.Device == set.Device) is not { } fs)
        {
            console.WriteLine($"  {what}: not compared, the layout has no filesystem there");
            return 1;
        }
        var directory = Path.Combine(RescuePaths.RunDirectory, "compare-" + set.Name);
        var at = mounts.MountAside(fs, directory, readOnly: true);
        try
        {
            return CompareSet(backup, set, key, at, $"{what} on {at.Device}", cancellationToken);
        }
        finally
        {
            mounts.Unmount(directory);
            Directory.Delete(directory);
        }
    }
}
