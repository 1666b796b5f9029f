using System.CommandLine;
using System.Diagnostics;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit backup`: a backup set of every mounted filesystem (or those on --device) with the layout.</summary>
internal sealed class BackupCommand : RescueCommand
{
    private readonly BackupOptions _backup = new(withTarget: true);

    public BackupCommand() : base("backup", "Back up the mounted filesystems and the disk layout into a chunked, checksummed backup set")
        => _backup.AddTo(this);

    protected override bool QuietConsole => !Console.IsOutputRedirected;

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var runner = Runner(log);
        var (backup, where) = BackupOptions.Run(_backup.Prepare(result, runner, log), runner, log, QuietConsole, cancellationToken);
        return BackupOptions.Report(backup, where, Stopwatch.GetElapsedTime(started));
    }
}
