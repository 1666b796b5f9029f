using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Host;
using RescueKit.Restore.Discs;
using RescueKit.Restore.Execution;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Planning;
using RescueKit.Restore.Review;
using Serilog;
using Spectre.Console;

namespace RescueKit.Restore.Modes;

/// <summary>
/// Nuke: the whole machine back from the backup without a question unless something is wrong. In order: the backup
/// opened (its layout, its sets, its key), the disks mapped, the plan made and written where the markers go; the
/// pre-flight (every program the plan runs is here, every chunk of every backup of the chain hashes right, every disc
/// of a disc series found or asked for); a countdown
/// any key stops (none when unattended); then the plan, step after step with a line each. Nothing is written to a disk
/// before the countdown has run out. A failed step stops the plan; unattended, that ends the restore (a resume
/// continues it), otherwise the operator retries, skips, opens a shell or aborts. Given a reviewer (the interactive
/// mode), the person shapes the plan before the pre-flight and names each disk to erase in place of the countdown.
/// </summary>
public sealed class NukeRestore(IAnsiConsole console, IToolRunner runner, RescueEnvironment environment, IOperator person,
    ILogger log, string version, Func<int> startShell)
{
    public const int CountdownSeconds = 20;

    public string MarkerDirectory { get; init; } = RescuePaths.RestoreMarkers;

    /// <summary>Where a disc series' small files and discs.json are kept (<see cref="DiscSeries"/>).</summary>
    public string DiscSeriesDirectory { get; init; } = RescuePaths.DiscSeries;

    public IDiscDrives Drives { get; init; } = new OpticalDrives(runner, log);

    /// <summary>The restore's log beside the markers: every line nuke prints, kept in the restored system at the end
    /// (<see cref="RecordSteps"/>).</summary>
    public string LogFile => Path.Combine(MarkerDirectory, RecordSteps.LogFile);

    /// <summary>Where the restore's lines and the steps' progress go; null for plain lines on the console.</summary>
    public IRestoreProgress? Progress { get; init; }

    /// <summary>A line on the console (or <see cref="Progress"/>) and in <see cref="LogFile"/>.</summary>
    private void Say(string line)
    {
        if (Progress is null) console.WriteLine(line); else Progress.Message(line);
        Record(line);
    }

    private void Record(string line)
    {
        Directory.CreateDirectory(MarkerDirectory);
        File.AppendAllText(LogFile, line + "\n");
    }

    public int Run(NukeRequest request, CancellationToken cancellationToken)
    {
        var vars = environment.Variables();
        var reference = request.Backup ?? RescuePaths.FoundBackup(vars);
        // Disc 1 of a series may be out of the drive init found it in: a resume goes on from the copy of its small files.
        var copied = DiscSeries.CopyIn(DiscSeriesDirectory);
        if (request.Resume && request.Backup is null && !File.Exists(Path.Combine(reference ?? "", BackupSetNames.Manifest)) &&
            File.Exists(Path.Combine(copied, BackupSetNames.Manifest)))
            reference = copied;
        if (string.IsNullOrEmpty(reference))
            throw new BadInputException("there is no backup to restore: init found none on the rescue medium, and none was named");
        return BackupLocation.Use(reference, runner, log, cancellationToken, location => Restore(request, location, vars, cancellationToken));
    }

    private int Restore(NukeRequest request, BackupLocation location, IReadOnlyDictionary<string, string> vars, CancellationToken cancellationToken)
    {
        var series = DiscSeries.Of(location.Set, DiscSeriesDirectory, Drives, person, Say);
        var backup = series?.Backup ?? location.Set;
        var key = backup.Key(request.Key);
        var layout = LayoutJson.Load(Path.Combine(backup.Directory, BackupSetNames.Layout));
        var targets = TargetMachine.Live(runner, TargetMachine.ProtectedDevices(vars));
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var executor = new PlanExecutor(runner, MarkerDirectory, Progress is null ? new ConsoleProgress(Say) : new LoggedProgress(Progress, Record),
            name => secrets.GetValueOrDefault(name), series is null ? null : series.Bring);

        RestorePlan plan;
        if (request.Resume)
        {
            plan = executor.StartedPlan()
                ?? throw new BadInputException($"there is no restore to resume: {MarkerDirectory} holds no plan");
            var problems = ResumeCheck.Problems(plan, targets);
            if (problems.Count > 0) throw new RescueKitException($"the restore cannot resume safely: {string.Join("; ", problems)}", ExitCodes.CheckFailed);
            Say($"Resuming: {executor.Finished(plan).Count} of {plan.Steps.Count} steps were done before.");
        }
        else
        {
            var options = new RestorePlanOptions
            {
                ToolVersion = version,
                RecordDirectory = MarkerDirectory,
                Backup = backup.Origin,
                Sets = RestorePlanOptions.MountedSetsOf(backup.Manifest),
                UnmountedSets = RestorePlanOptions.UnmountedSetsOf(backup.Manifest),
                SetData = BackupSetData.Of(backup, key),
                ExtractArguments = [.. KeyArguments(request.Key), .. series is null ? [] : new[] { "--discs", series.IndexPath }],
                NoResize = request.NoResize,
            };
            if (request.Reviewer is { } reviewer)
            {
                var draft = new PlanDraft(layout, targets, options, request.Map);
                if (!reviewer.Review(draft))
                {
                    Say("Stopped before the first write: no disk was touched.");
                    return ExitCodes.Cancelled;
                }
                plan = draft.Plan();
            }
            else
            {
                var mapping = DiskMapper.Map(layout.Disks, targets, RestorePlanner.MinimumSize(layout, options), request.Map,
                    unshrunk: RestorePlanner.RequiredSize);
                if (!mapping.IsComplete) throw new DiskMappingIncompleteException(mapping);
                plan = RestorePlanner.Plan(layout, mapping, options);
            }
        }

        Say($"Restoring {layout.HostName ?? "the host"} from backup {backup.Name} ({location.Where}).");
        foreach (var d in plan.Disks)
            Say($"  {d.Source} ({ByteSize.Format(d.SourceSize)}) -> {d.Target} ({ByteSize.Format(d.TargetSize)}): everything on it will be erased");
        foreach (var note in plan.Notes) Say($"  Note: {note}");

        Preflight(plan, backup, key, series, request.Unattended, cancellationToken);
        foreach (var (name, secret) in Passphrases(plan, request, executor)) secrets[name] = secret;
        Directory.CreateDirectory(MarkerDirectory);
        File.WriteAllText(Path.Combine(MarkerDirectory, RecordSteps.PlanScriptFile), RestorePlanScript.Render(plan, MarkerDirectory));

        var goAhead = request.Unattended || request.Resume
            || (request.Reviewer is { } confirming ? confirming.ConfirmErase(plan.Disks) : person.CountdownCompletes(CountdownSeconds));
        if (!goAhead)
        {
            Say("Stopped before the first write: no disk was touched.");
            return ExitCodes.Cancelled;
        }

        series?.AfterGivingUp = "and the restore stopped there: run 'rescuekit restore --mode nuke --resume' to go on, with the disc at hand";
        while (true)
        {
            try
            {
                executor.Run(plan, cancellationToken);
                if (executor.Warnings.Count == 0)
                {
                    Say($"The restore is complete: {plan.Steps.Count} steps. Remove the rescue medium and reboot.");
                    return ExitCodes.Ok;
                }
                Say($"The restore is complete, with warnings in {executor.Warnings.Count} of its {plan.Steps.Count} steps " +
                    $"({string.Join(", ", executor.Warnings.Select(w => w.Step.Id))}): what each skipped is listed above. Remove the rescue medium and reboot.");
                return ExitCodes.CompletedWithWarnings;
            }
            catch (StepFailedException failure)
            {
                Say($"Step {failure.Step.Id} failed: {string.Join(' ', failure.Step.Argv)}");
                if (!string.IsNullOrWhiteSpace(failure.StandardError)) Say(failure.StandardError.TrimEnd());
                if (request.Unattended) throw;
                switch (person.Decide(failure))
                {
                    case StepDecision.Retry:
                        continue;
                    case StepDecision.Skip:
                        executor.MarkDone(failure.Step);
                        continue;
                    case StepDecision.Shell:
                        startShell();
                        continue; // and the step is tried again

                    default:
                        throw;
                }
            }
        }
    }

    /// <summary>
    /// Before the first write: every program the plan runs is here, and every backup of the chain is whole. A disc
    /// series has each disc found and its chunks hashed as it comes; their archives are not decoded here, which would
    /// need every disc again in set order (extracting checks every chunk's SHA-256 once more as it reads it).
    /// </summary>
    private void Preflight(RestorePlan plan, BackupSet backup, BackupKey? key, DiscSeries? series, bool unattended,
        CancellationToken cancellationToken)
    {
        var missing = RestorePreflight.MissingPrograms(plan, runner);
        if (missing.Count > 0)
            throw new MissingPrerequisiteException($"the rescue system lacks {string.Join(", ", missing.Select(m => m.Program))}, which the restore runs",
                string.Join(' ', missing.Select(m => m.Package).Distinct()), "no disk was touched");
        if (series is not null)
        {
            series.Gather(unattended);
            if (BackupVerifier.VerifyIndex(backup, key) is { Count: > 0 } faults) throw Damaged(backup, faults);
            return;
        }
        var verifier = new BackupVerifier(log);
        foreach (var link in backup.Chain())
        {
            Say($"Checking backup {link.Name}: every chunk's SHA-256, every archive to its end...");
            var report = verifier.Verify(link, key, cancellationToken);
            if (report.Faults.Count > 0) throw Damaged(link, report.Faults);
        }
    }

    private static RescueKitException Damaged(BackupSet backup, IReadOnlyList<string> faults) =>
        new($"backup {backup.Name} is damaged, so nothing was restored and no disk was touched: {string.Join("; ", faults)}", ExitCodes.CheckFailed);

    /// <summary>
    /// The passphrase of each LUKS container the plan makes (<see cref="RestoreStep.SecretInput"/>), before the
    /// countdown: the first line of the passphrase file for all of them, else asked at the console, twice, for each
    /// (a resumed restore only for the steps still to run);
    /// unattended with no file, the restore stops here, before any write.
    /// </summary>
    private Dictionary<string, string> Passphrases(RestorePlan plan, NukeRequest request, PlanExecutor executor)
    {
        // A resumed restore needs only those of the steps still to run.
        var names = plan.Steps.Where(s => !File.Exists(executor.MarkerOf(s))).Select(s => s.SecretInput).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (names.Count == 0) return result;
        if (request.LuksPassphraseFile is { } file)
        {
            if (!File.Exists(file)) throw new BadInputException($"the LUKS passphrase file {file} does not exist");
            var passphrase = File.ReadLines(file).FirstOrDefault() ?? "";
            if (passphrase.Length == 0) throw new BadInputException($"the LUKS passphrase file {file} is empty");
            foreach (var name in names) result[name] = passphrase;
            return result;
        }
        var containers = names.Select(n => n[(n.IndexOf(':', StringComparison.Ordinal) + 1)..]).ToList();
        if (request.Unattended) throw new LuksPassphraseNeededException(containers);
        foreach (var (name, uuid) in names.Zip(containers))
        {
            while (true)
            {
                var first = person.AskSecret($"Passphrase for the LUKS container {uuid}") ?? throw new LuksPassphraseNeededException(containers);
                var again = person.AskSecret("The same passphrase again") ?? throw new LuksPassphraseNeededException(containers);
                if (first.Length > 0 && first == again)
                {
                    result[name] = first;
                    break;
                }
                Say(first.Length == 0 ? "An empty passphrase is not accepted." : "The two passphrases differ; again.");
            }
        }
        return result;
    }

    private static IReadOnlyList<string> KeyArguments(BackupKey.Source? key) => key switch
    {
        { KeyFile: { } file } => ["--key-file", file],
        { PassphraseFile: { } file } => ["--passphrase-file", file],
        _ => [],
    };

    /// <summary>The front-end's progress, with each step's start and end also in the restore's log (as plain lines).</summary>
    private sealed class LoggedProgress(IRestoreProgress shown, Action<string> record) : IRestoreProgress
    {
        private readonly ConsoleProgress _lines = new(record);

        public void Message(string line) => shown.Message(line);

        public void StepStarting(RestoreStep step, int index, int count)
        {
            _lines.StepStarting(step, index, count);
            shown.StepStarting(step, index, count);
        }

        public void StepSkipped(RestoreStep step, int index, int count)
        {
            _lines.StepSkipped(step, index, count);
            shown.StepSkipped(step, index, count);
        }

        public void StepFinished(RestoreStep step, int index, int count, TimeSpan elapsed)
        {
            _lines.StepFinished(step, index, count, elapsed);
            shown.StepFinished(step, index, count, elapsed);
        }

        public void StepOutput(RestoreStep step, string line) => shown.StepOutput(step, line);

        public void StepWarned(RestoreStep step, int index, int count, TimeSpan elapsed, string standardError)
        {
            _lines.StepWarned(step, index, count, elapsed, standardError);
            shown.StepWarned(step, index, count, elapsed, standardError);
        }
    }

    /// <summary>One plain line per step.</summary>
    private sealed class ConsoleProgress(Action<string> say) : IRestoreProgress
    {
        public void StepStarting(RestoreStep step, int index, int count) =>
            say($"[{index + 1}/{count}] {step.Id}: {step.Purpose}");

        public void StepSkipped(RestoreStep step, int index, int count) =>
            say($"[{index + 1}/{count}] {step.Id}: done before");

        public void StepFinished(RestoreStep step, int index, int count, TimeSpan elapsed) =>
            say($"[{index + 1}/{count}] {step.Id}: ok ({elapsed.TotalSeconds:0.0} s)");

        public void Message(string line) => say(line);

        public void StepOutput(RestoreStep step, string line) => say($"    {line}");

        public void StepWarned(RestoreStep step, int index, int count, TimeSpan elapsed, string standardError)
        {
            say($"[{index + 1}/{count}] {step.Id}: done with warnings ({elapsed.TotalSeconds:0.0} s):");
            foreach (var line in standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                say($"    {line}");
        }
    }
}
