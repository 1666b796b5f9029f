using System.CommandLine;
using RescueKit.Restore;
using RescueKit.Restore.Modes;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit restore`: the front-end the rescue system hands over to.</summary>
internal sealed class RestoreCommand : RescueCommand
{
    private readonly Option<RestoreMode> _mode = new("--mode") { Description = "interactive, nuke, compare or expert", DefaultValueFactory = _ => RestoreMode.Interactive };
    private readonly Option<string?> _source = new("--source") { Description = "Where the backup is (rk.source= syntax)" };
    private readonly Option<bool> _unattended = new("--unattended") { Description = "No prompts, no countdown (automation)" };
    private readonly Option<bool> _noResize = new("--no-resize") { Description = "Keep the mountlist sizes" };
    private readonly Option<bool> _noPart = new("--no-part") { Description = "Skip partitioning" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Show the plan and write restore-plan.json and restore-plan.sh; touch no disk" };
    private readonly Option<string?> _layout = new("--layout") { Description = "The layout.json to restore (default: the rescue system's)" };
    private readonly Option<string?> _disks = new("--disks") { Description = "The target machine's disks as 'lsblk -J -b -O' printed them (default: this machine's)" };
    private readonly Option<string[]> _map = new("--map") { Description = "SOURCE=TARGET disk pair, or SOURCE=none (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _backup = new("--backup") { Description = "The backup to restore from (a directory or nfs:// URL)" };
    private readonly Option<string> _out = new("--out") { Description = "Where --dry-run writes the plan", DefaultValueFactory = _ => "." };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the restore a previous run started, from its first unfinished step" };
    private readonly KeyOptions _key = new();

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
        Options.Add(_backup);
        Options.Add(_out);
        Options.Add(_resume);
        _key.AddTo(this);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        if (result.GetValue(_dryRun))
            return RestoreDryRun.Run(new RestoreDryRun.Request(result.GetValue(_layout), result.GetValue(_disks),
                    result.GetValue(_map) ?? [], result.GetValue(_out)!, result.GetValue(_backup)),
                AnsiConsole.Console, Runner(log), new RescueEnvironment(), GlobalOptions.Version, log, cancellationToken);
        foreach (var planningOnly in new Option[] { _layout, _disks, _out })
            if (result.GetResult(planningOnly) is { Implicit: false })
                throw new Core.BadInputException($"{planningOnly.Name} goes with --dry-run: a restore plans for this machine's disks from the backup's layout");
        var mode = result.GetValue(_mode);
        var nukeOnly = new Option[] { _map, _backup, _resume };
        if (mode != RestoreMode.Nuke && nukeOnly.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } option)
            throw new Core.BadInputException($"{option.Name} goes with --mode nuke or --dry-run: the {mode.ToString().ToLowerInvariant()} mode does not take it");
        var options = new RestoreOptions(mode, result.GetValue(_source), result.GetValue(_unattended),
            result.GetValue(_noResize), result.GetValue(_noPart), result.GetValue(_backup));
        var environment = new RescueEnvironment();
        var request = new NukeRequest(options.Backup, RestoreDryRun.ParseMap(result.GetValue(_map) ?? []),
            options.Unattended, result.GetValue(_resume), _key.Source(result));
        int Nuke(RestoreOptions _) =>
            new NukeRestore(AnsiConsole.Console, Runner(log), environment, new ConsoleOperator(AnsiConsole.Console, Console.In), log,
                GlobalOptions.Version, ExpertShell.Start).Run(request, cancellationToken);
        return new RestoreFrontEnd(AnsiConsole.Console, environment, GlobalOptions.Version, nuke: Nuke).Run(options);
    }
}
