using System.CommandLine;
using RescueKit.Restore;
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
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        if (result.GetValue(_dryRun))
            return RestoreDryRun.Run(new RestoreDryRun.Request(result.GetValue(_layout), result.GetValue(_disks),
                    result.GetValue(_map) ?? [], result.GetValue(_out)!, result.GetValue(_backup)),
                AnsiConsole.Console, Runner(log), new RescueEnvironment(), GlobalOptions.Version, log, cancellationToken);
        foreach (var planningOnly in new Option[] { _layout, _disks, _map, _out, _backup })
            if (result.GetResult(planningOnly) is { Implicit: false })
                throw new Core.BadInputException($"{planningOnly.Name} goes with --dry-run: this rescuekit shows restore plans but does not run them yet");
        var options = new RestoreOptions(result.GetValue(_mode), result.GetValue(_source), result.GetValue(_unattended),
            result.GetValue(_noResize), result.GetValue(_noPart));
        return new RestoreFrontEnd(AnsiConsole.Console, new RescueEnvironment(), GlobalOptions.Version).Run(options);
    }
}
