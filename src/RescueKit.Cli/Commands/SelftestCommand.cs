using System.CommandLine;
using RescueKit.Restore;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit selftest`: checks, inside the rescue system, that every tool it carries runs.</summary>
internal sealed class SelftestCommand : RescueCommand
{
    private readonly Option<string> _root = new("--root") { Description = "Root of the rescue system to check", DefaultValueFactory = _ => "/", Hidden = true };

    public SelftestCommand() : base("selftest", "Check that every tool of the rescue system runs, modules load and hashing works")
        => Options.Add(_root);

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
        => new SelfTest(AnsiConsole.Console, new RescueEnvironment(result.GetValue(_root)!)).Run();
}
