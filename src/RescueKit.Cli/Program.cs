using System.CommandLine;
using System.Runtime.InteropServices;
using RescueKit.Backup.Sets;
using RescueKit.Cli;
using RescueKit.Cli.Commands;
using RescueKit.Core;

var root = new RootCommand("RescueKit: bare-metal disaster recovery for Linux (rescue media, layout capture, backup and restore)");
root.Options.Add(GlobalOptions.LogLevel);
root.Options.Add(GlobalOptions.LogFile);
root.Subcommands.Add(new MkrescueCommand());
root.Subcommands.Add(new MkisoCommand());
root.Subcommands.Add(new RestoreCommand());
root.Subcommands.Add(new SelftestCommand());
root.Subcommands.Add(new LayoutCommand());
root.Subcommands.Add(new BackupCommand());
root.Subcommands.Add(new VerifyCommand());
root.Subcommands.Add(new ExtractCommand());
root.Subcommands.Add(new CompareCommand());
root.Subcommands.Add(new MountTargetCommand());
root.Subcommands.Add(new UnmountTargetCommand());
root.Subcommands.Add(new MkbackupCommand());
root.Subcommands.Add(new PxeCommand());
root.Subcommands.Add(new ServeCommand());
root.Subcommands.Add(new FetchCommand());

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C cancels the work cleanly (temporary files removed); a second one ends the process.
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
};
// SIGTERM (kill, systemd, a cron job's timeout) cancels the same way, so an NFS target is unmounted and a staged set
// removed; a second one ends the process.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    if (cancel.IsCancellationRequested) return;
    context.Cancel = true;
    cancel.Cancel();
});

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("rescuekit: cancelled; nothing was left half-written");
    return ExitCodes.Cancelled;
}
catch (BackupKeyNeededException e)
{
    Console.Error.WriteLine($"rescuekit: error: {KeyOptions.Wording(e)}");
    return e.ExitCode;
}
catch (RescueKit.Restore.Mapping.DiskMappingIncompleteException e)
{
    Console.Error.WriteLine($"rescuekit: error: {RestoreDryRun.Wording(e)}");
    return e.ExitCode;
}
catch (RescueKit.Restore.Modes.LuksPassphraseNeededException e)
{
    Console.Error.WriteLine($"rescuekit: error: {e.Message}: give it with --luks-passphrase-file FILE (its first line)");
    return e.ExitCode;
}
catch (RescueKit.Restore.Planning.DataDoesNotFitException e)
{
    Console.Error.WriteLine($"rescuekit: error: {RestoreDryRun.Wording(e)}");
    return e.ExitCode;
}
catch (RescueKitException e)
{
    Console.Error.WriteLine($"rescuekit: error: {e.Message}");
    return e.ExitCode;
}
catch (Exception e)
{
    Console.Error.WriteLine($"rescuekit: internal error (a bug; please report it with --log-level debug output): {e}");
    return ExitCodes.Internal;
}
