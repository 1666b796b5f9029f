using RescueKit.Backup.Nfs;
using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Restore;
using RescueKit.Host;
using RescueKit.Restore;
using RescueKit.Restore.Modes;
using RescueKit.Restore.Planning;
using RescueKit.Restore.Review;
using RescueKit.Core.Layout;
using RescueKit.Restore.Tui;
using Serilog.Events;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>
/// `rescuekit restore` in interactive mode, on the terminal UI: the start page (what was found, which mode), then the
/// chosen mode on the same screen: the review (mapping, mountlist, sets, preview, typed confirmation) and nuke's run,
/// or nuke with its countdown; compare and the expert shell run on the plain terminal and come back to the start page.
/// </summary>
internal static class InteractiveRestore
{
    public sealed record Request(NukeRequest Nuke, RescueEnvironment Environment, string? BackupDirectory, LogEventLevel LogLevel,
        string? LogFile, Func<string?, int> Compare);

    public static int Run(Request request, CancellationToken cancellationToken)
    {
        if (TerminalCheck.WhyPlain(request.Nuke.Unattended) is { } why)
            throw new BadInputException($"the interactive mode needs a terminal, but {why}: restore with --mode nuke " +
                "(--unattended to be asked nothing), or run it on a terminal");
        var known = Known(request);
        var summary = Summary(request, known);
        Console.WriteLine("Starting the interactive screens...");
        return TuiSession.Run($"RescueKit {GlobalOptions.Version} restore", session =>
        {
            var progress = new TuiProgress(session);
            using var log = Logging.CreateForScreen(request.LogLevel, request.LogFile, new ScreenLogSink(progress));
            var runner = new ToolRunner(log);
            int Shell()
            {
                var code = 0;
                session.Outside(() => code = ExpertShell.Start());
                return code;
            }
            while (true)
            {
                var choice = TuiReviewer.Start(session, summary, known.Count);
                switch (choice)
                {
                    case StartChoice.OtherBackup:
                        if (TuiReviewer.PickBackup(session, known.Select(Describe).ToList()) is { } picked)
                        {
                            // What every choice after this one restores from: the review, nuke, compare's and files'.
                            request = request with { Nuke = request.Nuke with { Backup = known[picked].Directory } };
                            summary = Summary(request, known);
                        }
                        continue;
                    case StartChoice.Leave:
                        return ExitCodes.Cancelled;
                    case StartChoice.Shell:
                        Shell();
                        continue;
                    case StartChoice.Files:
                        RestoreFiles(session, request, runner, log, progress, cancellationToken);
                        continue;
                    case StartChoice.Compare:
                        session.Outside(() =>
                        {
                            var code = request.Compare(request.Nuke.Backup);
                            Console.WriteLine($"Compare ended with exit code {code}. Press Enter to go back to the screens.");
                            Console.In.ReadLine();
                        });
                        continue;
                }
                var nuke = new NukeRestore(AnsiConsole.Console, runner, request.Environment, new TuiOperator(session), log,
                    GlobalOptions.Version, Shell) { Progress = progress };
                var reviewer = choice == StartChoice.Review
                    ? new TuiReviewer(session, new ReviewChoices("Restore", plan => RestorePlanScript.Render(plan, nuke.MarkerDirectory),
                        plan => Save(plan, nuke.MarkerDirectory)))
                    : null;
                var result = nuke.Run(request.Nuke with { Reviewer = reviewer }, cancellationToken);
                if (result == ExitCodes.Cancelled) continue;
                session.AskQuery("The restore is over", result == ExitCodes.Ok
                    ? "The restore is complete. Remove the rescue medium and reboot."
                    : $"The restore is complete, with warnings: see {nuke.LogFile}.", "OK");
                return result;
            }
        });
    }

    /// <summary>
    /// Start page choice 5: files picked from the catalog, restored into the system on the disks (mounted under
    /// /mnt/target as the layout has it, and unmounted after) or into another directory; no disk is partitioned.
    /// </summary>
    private static void RestoreFiles(TuiSession session, Request request, IToolRunner runner, Serilog.ILogger log, TuiProgress progress,
        CancellationToken cancellationToken)
    {
        try
        {
            using var location = Opened(request);
            if (location is null)
            {
                session.AskQuery("No backup", "There is no backup here to restore files from.", "OK");
                return;
            }
            var backup = location.Set;
            var tree = CatalogTree.Of(backup, backup.Key(request.Nuke.Key));
            if (TuiReviewer.PickFiles(session, tree) is not { } includes) return;
            if (TuiReviewer.AskDestination(session, RescuePaths.TargetRoot) is not { } to) return;
            var mounts = new TargetMounts(runner);
            var onDisks = to == RescuePaths.TargetRoot;
            if (onDisks) mounts.Mount(LayoutJson.Load(Path.Combine(backup.Directory, BackupSetNames.Layout)), to, readOnly: false);
            var warnings = 0;
            try
            {
                var options = new RescueKit.Backup.Archive.ExtractOptions { OnWarning = w => { warnings++; log.Warning("{Message}", w); } };
                foreach (var (set, into, members) in FilesOnlyRestore.Run(backup, [], to, request.Nuke.Key, options, log, cancellationToken, includes))
                    progress.Message($"Restored {members} entries of set {set.Name} into {into}");
            }
            finally
            {
                if (onDisks) mounts.Unmount(to);
            }
            session.AskQuery("Files restored", warnings == 0 ? $"The files are restored into {to}."
                : $"The files are restored into {to}, with {warnings} warning(s) listed on the progress page.", "OK");
        }
        catch (RescueKitException e)
        {
            session.AskQuery("The files were not restored", e.Message, "OK");
        }
    }

    /// <summary>The plan as JSON and as the script beside the restore's markers, where a resume finds them.</summary>
    private static string Save(RestorePlan plan, string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "restore-plan.json");
        AtomicFile.WriteAllText(json, RestorePlanJson.Serialize(plan), "the plan");
        return $"The plan is saved in {json} (and its script beside it when the restore starts).";
    }

    /// <summary>
    /// The backup the screens read (the one picked, given or found), opened where it is: a directory, or an http:// or
    /// nfs:// URL (rk.source); null when there is none. The caller disposes it (an URL's staged small files go with it).
    /// </summary>
    private static BackupLocation? Opened(Request request)
    {
        var reference = request.Nuke.Backup ?? request.BackupDirectory;
        if (reference is null) return null;
        if (!HttpBackup.IsHttp(reference) && !NfsUrl.IsNfs(reference) && !File.Exists(Path.Combine(reference, BackupSetNames.Manifest)))
            return null;
        return BackupLocation.Open(reference, new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None, CancellationToken.None);
    }

    /// <summary>The backups the start page offers: the one given or found, those beside it, the USB data partition's.</summary>
    private static IReadOnlyList<BackupSet> Known(Request request) =>
        KnownBackups.Around(request.Nuke.Backup ?? request.BackupDirectory, DataBackups(request.Environment.Variables()));

    /// <summary>The older backups of a USB stick's data partition, as 40-media listed them (newest first).</summary>
    private static IEnumerable<string> DataBackups(IReadOnlyDictionary<string, string> vars) =>
        (vars.GetValueOrDefault(RescuePaths.DataBackupsKey) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>One line of the backup list: its id first (what an 80-column line keeps), the kind, the host, where.</summary>
    private static string Describe(BackupSet backup) =>
        $"{backup.Name}  {backup.Manifest.Kind}, {backup.Manifest.Host}  {Path.GetDirectoryName(backup.Directory)}";

    /// <summary>The start page's heading: the backup (host, when, kind, sets, encryption, chain), the Secure Boot state (as
    /// the banner line has it) and the disks here.</summary>
    private static IReadOnlyList<string> Summary(Request request, IReadOnlyList<BackupSet> known)
    {
        var lines = new List<string>();
        var directory = request.Nuke.Backup ?? request.BackupDirectory;
        BackupLocation? location;
        try
        {
            location = Opened(request);
        }
        catch (RescueKitException e)
        {
            // A server that is down or a damaged manifest: the start page says so, and the shell is still there.
            lines.Add($"The backup {directory} cannot be read: {e.Message}");
            location = null;
        }
        using var opened = location;
        if (location is not null)
        {
            var backup = location.Set;
            var m = backup.Manifest;
            lines.Add($"Backup of {m.Host}: {m.Kind}, made {m.CreatedUtc:yyyy-MM-dd HH:mm} UTC, " +
                $"{(m.Encryption is null ? "not encrypted" : "encrypted")}, {backup.Chain().Count} in its chain");
            lines.Add($"At {location.Where}");
            lines.Add($"Sets: {string.Join(' ', m.Sets.Select(s => s.Unmounted ? $"({s.Name})" : s.MountPoint))}");
        }
        else if (lines.Count == 0) lines.Add($"The backup: {directory ?? "none found (name one with --backup)"}");
        var vars = request.Environment.Variables();
        if (known.Count > 1)
        {
            // KnownBackups puts the found backup's host first: what differs from known[0]'s host is a fleet sibling's.
            var otherHosts = known.Count(b => b.Manifest.Host != known[0].Manifest.Host);
            lines.Add($"{known.Count - 1} other backup(s) found{(DataBackups(vars).Any() ? " (with the USB data partition's)" : "")}" +
                $"{(otherHosts > 0 ? $", {otherHosts} of other hosts" : "")}: choice 6 lists them");
        }
        var disks = TargetMachine.Live(new ToolRunner(Serilog.Core.Logger.None),
            TargetMachine.ProtectedDevices(vars));
        lines.Add(SecureBootState.Of(request.Environment).Describe());
        lines.Add($"Disks here: {(disks.Count == 0 ? "none" : string.Join(", ", disks.Take(4).Select(d => d.Refused is null ? d.Path + " " + ByteSize.Format(d.Size) : d.Path + " (not a target)")))}");
        return lines;
    }
}
