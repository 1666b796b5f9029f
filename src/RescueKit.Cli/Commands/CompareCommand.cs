using System.CommandLine;
using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit compare BACKUP [--root DIR] [--set NAME]`: what differs between a backup and a live tree.
/// Exit 0 when nothing does, 1 when something does (for cron and scripts).</summary>
internal sealed class CompareCommand : RescueCommand
{
    public const int Differs = 1;

    private readonly Argument<string> _backup = BackupArgument.Create();
    private readonly Option<string?> _root = new("--root") { Description = "Compare with this directory instead of the set's mount point (needs --set when the backup has several sets)" };
    private readonly Option<string?> _set = new("--set") { Description = "Compare only this set" };
    private readonly KeyOptions _key = new();

    public CompareCommand() : base("compare", "List what differs between a backup's catalog and a live tree (added, removed, changed)")
    {
        Arguments.Add(_backup);
        Options.Add(_root);
        Options.Add(_set);
        _key.AddTo(this);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken) =>
        BackupLocation.Use(result.GetValue(_backup)!, Runner(log), log, cancellationToken, opened =>
        {
            var backup = opened.Set;
            var root = result.GetValue(_root);
            var setName = result.GetValue(_set);
            var sets = setName is not null ? [backup.Set(setName)] : backup.Manifest.Sets;
            if (root is not null && sets.Count > 1)
                throw new BadInputException(
                    $"--root compares one set, and backup {backup.Name} has several ({string.Join(", ", sets.Select(s => s.Name))}): add --set");
            if (root is not null && !Directory.Exists(root)) throw new BadInputException($"--root {root} is not a directory");
            var key = backup.Key(_key.Source(result));
            var differences = 0;
            foreach (var set in sets)
            {
                var against = root ?? set.MountPoint;
                foreach (var d in TreeComparer.Compare(backup, set, key, against, cancellationToken))
                {
                    Console.WriteLine($"{set.Name}: {d}");
                    differences++;
                }
                log.Debug("Compared set {Set} with {Root}", set.Name, against);
            }
            Console.WriteLine(differences == 0 ? $"Same: {backup.Name} matches the live tree" : $"{differences} differences");
            return differences == 0 ? ExitCodes.Ok : Differs;
        });
}
