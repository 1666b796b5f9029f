using System.CommandLine;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>Base of every verb: sets up logging from the global options and returns the verb's exit code.</summary>
internal abstract class RescueCommand : Command
{
    protected RescueCommand(string name, string description) : base(name, description)
        => SetAction((result, ct) => Task.FromResult(Invoke(result, ct)));

    private int Invoke(ParseResult result, CancellationToken cancellationToken)
    {
        using var log = Logging.Create(result.GetValue(GlobalOptions.LogLevel), result.GetValue(GlobalOptions.LogFile),
            QuietConsole);
        return Execute(result, log, cancellationToken);
    }

    /// <summary>True when the verb draws its own progress on the terminal, so routine log lines would garble it.</summary>
    protected virtual bool QuietConsole => false;

    protected abstract int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken);

    protected static IToolRunner Runner(ILogger log) => new ToolRunner(log);
}
