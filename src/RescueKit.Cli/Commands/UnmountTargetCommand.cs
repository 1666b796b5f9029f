using System.CommandLine;
using RescueKit.Core;
using RescueKit.Restore.Modes;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit unmount-target`: everything mounted at or under /mnt/target unmounted, deepest first.</summary>
internal sealed class UnmountTargetCommand : RescueCommand
{
    private readonly Option<string> _root = new("--root") { Description = "The directory mount-target mounted under", DefaultValueFactory = _ => RescuePaths.TargetRoot };

    public UnmountTargetCommand() : base("unmount-target", "Unmount everything mounted under /mnt/target, deepest first")
        => Options.Add(_root);

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var unmounted = new TargetMounts(Runner(log)).Unmount(result.GetValue(_root)!);
        Console.WriteLine(unmounted.Count == 0 ? $"Nothing is mounted under {result.GetValue(_root)}." : $"Unmounted {string.Join(", ", unmounted)}");
        return ExitCodes.Ok;
    }
}
