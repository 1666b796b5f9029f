using System.CommandLine;
using RescueKit.Restore;
using RescueKit.Restore.Modes;
using RescueKit.Restore.Review;
using RescueKit.Restore.Tui;
using RescueKit.Core.Restore;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit restore`: the front-end the rescue system hands over to.</summary>
internal sealed class RestoreCommand : RescueCommand
{
    private readonly Option<RestoreMode> _mode = new("--mode") { Description = "interactive, nuke, compare or expert", DefaultValueFactory = _ => RestoreMode.Interactive };
    private readonly Option<string?> _source = new("--source") { Description = "Where the backup is (rk.source= syntax)" };
    private readonly Option<bool> _unattended = new("--unattended") { Description = "No prompts, no countdown (automation)" };
    private readonly Option<bool> _noResize = new("--no-resize") { Description = "Keep the partitions' and LVs' sizes on disks of another size (smaller disks then do not fit)" };
    private readonly Option<bool> _noPart = new("--no-part") { Description = "Skip partitioning" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Show the plan and write restore-plan.json and restore-plan.sh; touch no disk" };
    private readonly Option<string?> _layout = new("--layout") { Description = "The layout.json to restore (default: the rescue system's)" };
    private readonly Option<string?> _disks = new("--disks") { Description = "The target machine's disks as 'lsblk -J -b -O' printed them (default: this machine's)" };
    private readonly Option<string[]> _map = new("--map") { Description = "SOURCE=TARGET disk pair, or SOURCE=none (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _mapping = new("--mapping") { Description = "A file of --map pairs, one SOURCE=TARGET per line (# comments)" };
    private readonly Option<string?> _backup = new("--backup") { Description = "The backup to restore from (a directory, or an nfs:// or http:// URL)" };
    private readonly Option<string> _out = new("--out") { Description = "Where --dry-run writes the plan", DefaultValueFactory = _ => "." };
    private readonly Option<string?> _luksPassphraseFile = new("--luks-passphrase-file") { Description = "With --mode nuke: the first line of this file is the passphrase of every LUKS container made (default: asked at the console)" };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the restore a previous run started, from its first unfinished step" };
    private readonly KeyOptions _key = new();
    private readonly Option<bool> _filesOnly = new("--files-only") { Description = "Extract the backup's sets into --to in mount-point order; no disk is touched" };
    private readonly Option<string?> _to = new("--to") { Description = "Where --files-only extracts (it then looks like the host's root)" };
    private readonly Option<string[]> _sets = new("--set") { Description = "With --files-only: only this set (repeatable)" };
    private readonly Option<string[]> _includes = new("--include") { Description = "With --files-only: only files whose absolute path, or a directory above it, matches this glob (repeatable; * also matches /)" };

    public RestoreCommand() : base("restore", "Restore this machine from its backup (run by the rescue system)")
    {
        Options.Add(_mode);
        Options.Add(_source);
        Options.Add(_unattended);
        Options.Add(_noResize);
        Options.Add(_noPart);
        Options.Add(_dryRun);
        Options.Add(_layout);
        Options.Add(_disks);
        Options.Add(_map);
        Options.Add(_mapping);
        Options.Add(_backup);
        Options.Add(_out);
        Options.Add(_resume);
        Options.Add(_luksPassphraseFile);
        Options.Add(_filesOnly);
        Options.Add(_to);
        Options.Add(_sets);
        Options.Add(_includes);
        _key.AddTo(this);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        if (result.GetValue(_filesOnly)) return FilesOnly(result, log, cancellationToken);
        foreach (var filesOnly in new Option[] { _to, _sets, _includes })
            if (result.GetResult(filesOnly) is { Implicit: false })
                throw new Core.BadInputException($"{filesOnly.Name} goes with --files-only");
        if (result.GetValue(_dryRun))
            return RestoreDryRun.Run(new RestoreDryRun.Request(result.GetValue(_layout), result.GetValue(_disks),
                    Pairs(result), result.GetValue(_out)!, result.GetValue(_backup), result.GetValue(_noResize), _key.Source(result),
                    result.GetResult(_mode) is { Implicit: false } && result.GetValue(_mode) == RestoreMode.Interactive ? ReviewOnScreen : null),
                AnsiConsole.Console, Runner(log), Rescue(), GlobalOptions.Version, log, cancellationToken);
        foreach (var planningOnly in new Option[] { _layout, _disks, _out })
            if (result.GetResult(planningOnly) is { Implicit: false })
                throw new Core.BadInputException($"{planningOnly.Name} goes with --dry-run: a restore plans for this machine's disks from the backup's layout");
        var mode = result.GetValue(_mode);
        var restoring = new Option[] { _map, _mapping, _luksPassphraseFile };
        if (mode is not (RestoreMode.Nuke or RestoreMode.Interactive) && restoring.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } option)
            throw new Core.BadInputException($"{option.Name} goes with --mode nuke, --mode interactive or --dry-run: the {mode.ToString().ToLowerInvariant()} mode does not take it");
        if (mode != RestoreMode.Nuke && result.GetResult(_resume) is { Implicit: false })
            throw new Core.BadInputException($"--resume goes with --mode nuke: the {mode.ToString().ToLowerInvariant()} mode does not take it");
        if (mode == RestoreMode.Expert && result.GetResult(_backup) is { Implicit: false })
            throw new Core.BadInputException("--backup goes with --mode nuke, interactive, compare or --dry-run: the expert mode does not take it");
        // Nuke would partition all the same: refusing is the only honest answer until it can skip partitioning.
        if (mode == RestoreMode.Nuke && result.GetValue(_noPart))
            throw new Core.BadInputException("--no-part (rk.nopart) is not supported by nuke yet: it would repartition the disks anyway; leave it out, or restore with --files-only onto disks you partitioned");
        var options = new RestoreOptions(mode, result.GetValue(_source), result.GetValue(_unattended),
            result.GetValue(_noResize), result.GetValue(_noPart), result.GetValue(_backup));
        var environment = Rescue();
        var request = new NukeRequest(options.Backup, RestoreDryRun.ParseMap(Pairs(result)),
            options.Unattended, result.GetValue(_resume), _key.Source(result), options.NoResize, result.GetValue(_luksPassphraseFile));
        int Nuke(RestoreOptions _) =>
            new NukeRestore(AnsiConsole.Console, Runner(log), environment, new ConsoleOperator(AnsiConsole.Console, Console.In), log,
                GlobalOptions.Version, ExpertShell.Start).Run(request, cancellationToken);
        int Compare(RestoreOptions o) =>
            new CompareRestore(AnsiConsole.Console, Runner(log), environment, log).Run(o.Backup, _key.Source(result), cancellationToken);
        int Interactive(RestoreOptions o) => InteractiveRestore.Run(new InteractiveRestore.Request(request, environment,
            environment.Variables().GetValueOrDefault(Core.RescuePaths.BackupDirectoryKey), result.GetValue(GlobalOptions.LogLevel),
            result.GetValue(GlobalOptions.LogFile), backup => Compare(o with { Backup = backup ?? o.Backup })), cancellationToken);
        return new RestoreFrontEnd(AnsiConsole.Console, environment, GlobalOptions.Version, nuke: Nuke, compare: Compare,
            interactive: Interactive).Run(options);
    }

    /// <summary>
    /// The rescue system this runs in; RK_EFIVARS names an efivarfs directory to read the Secure Boot state from instead
    /// of /sys/firmware/efi/efivars (a staged one: the tests show each state without the firmware).
    /// </summary>
    private static RescueEnvironment Rescue() => new(efivars: Environment.GetEnvironmentVariable("RK_EFIVARS"));

    /// <summary>
    /// The interactive dry run: the review pages over the draft, ending in "save the plan" instead of a restore. Without
    /// a terminal it says why and the plan is shown as a plain dry run shows it.
    /// </summary>
    private static bool ReviewOnScreen(PlanDraft draft)
    {
        if (TerminalCheck.WhyPlain(unattended: false) is { } why)
        {
            Console.WriteLine($"Note: the interactive screens need a terminal, but {why}: the proposed plan follows instead.");
            return true;
        }
        var choices = new ReviewChoices("Save plan and quit", plan => RestorePlanScript.Render(plan, Core.RescuePaths.RestoreMarkers));
        return TuiSession.Run($"RescueKit {GlobalOptions.Version} restore (dry run: nothing is written to a disk)",
            session => new TuiReviewer(session, choices).Review(draft) ? 1 : 0) == 1;
    }

    /// <summary>The disk pairs of --map and of the --mapping file together.</summary>
    private IReadOnlyList<string> Pairs(ParseResult result) =>
        [.. result.GetValue(_map) ?? [], .. result.GetValue(_mapping) is { } file ? MappingFile.Read(file) : []];

    private int FilesOnly(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var backup = result.GetValue(_backup) ?? throw new Core.BadInputException("--files-only needs the backup: give --backup BACKUP");
        var to = result.GetValue(_to) ?? throw new Core.BadInputException("--files-only needs the directory to extract into: give --to DIR");
        var warnings = 0;
        var options = new RescueKit.Backup.Archive.ExtractOptions
        {
            OnWarning = message =>
            {
                warnings++;
                log.Warning("{Message}", message);
            },
        };
        var picking = result.GetResult(_mode) is { Implicit: false } && result.GetValue(_mode) == RestoreMode.Interactive;
        if (picking && TerminalCheck.WhyPlain(unattended: false) is { } why)
            throw new Core.BadInputException($"the file picker needs a terminal, but {why}: name the files with --include GLOB instead");
        return RescueKit.Backup.Targets.BackupLocation.Use(backup, Runner(log), log, cancellationToken, location =>
        {
            IReadOnlyList<string> includes = result.GetValue(_includes) ?? [];
            if (picking)
            {
                var set = location.Set;
                Console.WriteLine($"Reading the catalog of {set.Name}...");
                var tree = CatalogTree.Of(set, set.Key(_key.Source(result)));
                IReadOnlyList<string>? globs = null;
                TuiSession.Run($"RescueKit {GlobalOptions.Version}: files to restore into {to}", session =>
                {
                    globs = TuiReviewer.PickFiles(session, tree);
                    return 0;
                });
                if (globs is null)
                {
                    Console.WriteLine("Left without restoring a file.");
                    return Core.ExitCodes.Cancelled;
                }
                includes = [.. includes, .. globs];
            }
            foreach (var (set, directory, members) in FilesOnlyRestore.Run(location.Set, result.GetValue(_sets) ?? [], to,
                         _key.Source(result), options, log, cancellationToken, includes))
                Console.WriteLine($"Extracted set {set.Name} ({set.MountPoint}) into {directory}: {members} members");
            return warnings > 0 ? Core.ExitCodes.CompletedWithWarnings : Core.ExitCodes.Ok;
        });
    }
}
