using System.CommandLine;
using RescueKit.Backup.Archive;
using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit extract BACKUP --set NAME --to DIR [--discs FILE]`: one set restored into a directory, incrementals
/// applied; with --discs, its chunks read from the discs of a series.</summary>
internal sealed class ExtractCommand : RescueCommand
{
    private readonly Argument<string> _backup = BackupArgument.Create();
    private readonly Option<string?> _set = new("--set") { Description = "The set to extract (root, boot, home ...); may be left out when there is one" };
    private readonly Option<string> _to = new("--to") { Description = "Directory to extract into", Required = true };
    private readonly Option<bool> _noOwners = new("--no-owners") { Description = "Leave files owned by the extracting user" };
    private readonly Option<bool> _progress = new("--progress") { Description = "Print a line every few seconds: how much of the set is read, the rate and the time left" };
    private readonly Option<string?> _discs = new("--discs")
    {
        Description = "Read the chunks from the discs of a series where this index (written by nuke's pre-flight) places them, waiting for a disc that is not in its drive",
    };
    private readonly KeyOptions _key = new();

    public ExtractCommand() : base("extract", "Extract one set of a backup (its full backup, then each incremental with its deletions) into a directory")
    {
        Arguments.Add(_backup);
        Options.Add(_set);
        Options.Add(_to);
        Options.Add(_noOwners);
        Options.Add(_progress);
        Options.Add(_discs);
        _key.AddTo(this);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken) =>
        BackupLocation.Use(result.GetValue(_backup)!, Runner(log), log, cancellationToken, opened =>
        {
            var backup = result.GetValue(_discs) is { } discs ? DiscSeriesFiles.Attach(opened.Set, discs, Console.WriteLine) : opened.Set;
            var setName = result.GetValue(_set) ?? (backup.Manifest.Sets.Count == 1
                ? backup.Manifest.Sets[0].Name
                : throw new BadInputException(
                    $"backup {backup.Name} has several sets ({string.Join(", ", backup.Manifest.Sets.Select(s => s.Name))}): choose one with --set"));
            var to = Path.GetFullPath(result.GetValue(_to)!);
            var warnings = 0;
            var options = new ExtractOptions
            {
                RestoreOwners = !result.GetValue(_noOwners),
                OnWarning = message =>
                {
                    warnings++;
                    log.Warning("{Message}", message);
                },
            };
            var members = new BackupExtractor(log).Extract(backup, setName, to, _key.Source(result), options, cancellationToken,
                result.GetValue(_progress) ? new ProgressLines(setName).Report : null);
            Console.WriteLine($"Extracted set {setName} of {backup.Name} into {to}: {members} members{(warnings > 0 ? $", {warnings} warnings" : "")}");
            return warnings > 0 ? ExitCodes.CompletedWithWarnings : ExitCodes.Ok;
        });
}
