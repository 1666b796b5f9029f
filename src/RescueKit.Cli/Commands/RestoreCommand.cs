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

    public RestoreCommand() : base("restore", "Restore this machine from its backup (run by the rescue system)")
    {
        Options.Add(_mode);
        Options.Add(_source);
        Options.Add(_unattended);
        Options.Add(_noResize);
        Options.Add(_noPart);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var options = new RestoreOptions(result.GetValue(_mode), result.GetValue(_source), result.GetValue(_unattended),
            result.GetValue(_noResize), result.GetValue(_noPart));
        return new RestoreFrontEnd(AnsiConsole.Console, new RescueEnvironment(), GlobalOptions.Version).Run(options);
    }
}
