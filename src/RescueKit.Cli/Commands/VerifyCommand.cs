using System.CommandLine;
using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit verify BACKUP`: every chunk's size and SHA-256, every archive parsed to its end, the catalog.</summary>
internal sealed class VerifyCommand : RescueCommand
{
    private readonly Argument<string> _backup = BackupArgument.Create();
    private readonly KeyOptions _key = new();

    public VerifyCommand() : base("verify", "Check a backup: every chunk's size and SHA-256, every archive read to its end, the catalog")
    {
        Arguments.Add(_backup);
        _key.AddTo(this);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken) =>
        BackupLocation.Use(result.GetValue(_backup)!, Runner(log), log, cancellationToken, opened =>
        {
            var backup = opened.Set;
            var report = new BackupVerifier(log).Verify(backup, backup.Key(_key.Source(result)), cancellationToken);
            foreach (var fault in report.Faults) Console.WriteLine($"BAD  {fault}");
            if (report.Faults.Count > 0)
                throw new RescueKitException(
                    $"backup {opened.Where} has {report.Faults.Count} faults (listed above): do not restore from it; take a new backup or use another copy",
                    ExitCodes.CheckFailed);
            Console.WriteLine($"OK   {opened.Where}: {backup.Manifest.Sets.Count} sets, {report.Chunks} chunks, " +
                              $"{ByteSize.Format(report.StoredBytes)}, {report.Members} archive members");
            return ExitCodes.Ok;
        });
}
