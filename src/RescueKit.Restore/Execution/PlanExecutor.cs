using System.Diagnostics;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Restore;
using RescueKit.Host;

namespace RescueKit.Restore.Execution;

/// <summary>
/// Runs a plan's steps in order through the one <see cref="IToolRunner"/>, each with its input on stdin, and leaves a
/// marker file per finished step in <paramref name="markerDirectory"/> (<c>&lt;id&gt;.done</c>, the same markers
/// restore-plan.sh leaves), so a run after a failure, a kill or a reboot of the rescue system continues with the first
/// unfinished step. The plan itself is kept there too, so a resume runs the plan that was started, not a new one.
/// </summary>
/// <param name="secrets">Gives the secret a step reads on stdin (<see cref="RestoreStep.SecretInput"/>), or null when it
/// has none; the secret is never logged or written anywhere.</param>
/// <param name="bringDisc">Puts disc N of a series in its drive when a step asks for it (<see cref="DiscRequest"/>),
/// while the step waits; what it throws stops the step and is thrown in its place.</param>
internal sealed class PlanExecutor(IToolRunner runner, string markerDirectory, IRestoreProgress? progress = null,
    Func<string, string?>? secrets = null, Action<int>? bringDisc = null)
{
    public const string PlanFile = "restore-plan.json";


    /// <summary>The longest a single step may take (mkfs of a large disk, extracting a large set); then it is stopped.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromHours(24);

    public string MarkerOf(RestoreStep step) => Path.Combine(markerDirectory, step.Id + ".done");

    /// <summary>The plan a previous run started here, or null when none did.</summary>
    public RestorePlan? StartedPlan()
    {
        var path = Path.Combine(markerDirectory, PlanFile);
        return File.Exists(path) ? RestorePlanJson.Deserialize(File.ReadAllText(path)) : null;
    }

    /// <summary>The steps whose markers exist.</summary>
    public IReadOnlyList<string> Finished(RestorePlan plan) => plan.Steps.Where(s => File.Exists(MarkerOf(s))).Select(s => s.Id).ToList();

    /// <summary>The steps of every <see cref="Run"/> of this executor that finished with a warning exit code, with their stderr.</summary>
    public IReadOnlyList<(RestoreStep Step, string StandardError)> Warnings => _warnings;

    private readonly List<(RestoreStep, string)> _warnings = [];

    /// <summary>Runs every step that has no marker yet, in plan order.</summary>
    /// <exception cref="StepFailedException">A step failed; nothing after it ran.</exception>
    public void Run(RestorePlan plan, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(markerDirectory);
        var planPath = Path.Combine(markerDirectory, PlanFile);
        var json = RestorePlanJson.Serialize(plan);
        if (File.Exists(planPath) && File.ReadAllText(planPath) != json)
            throw new BadInputException($"{markerDirectory} holds the markers of another plan: finish that one with its own plan, or remove the directory to start again");
        WriteDurably(planPath, json);

        for (var i = 0; i < plan.Steps.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = plan.Steps[i];
            if (File.Exists(MarkerOf(step)))
            {
                progress?.StepSkipped(step, i, plan.Steps.Count);
                continue;
            }
            progress?.StepStarting(step, i, plan.Steps.Count);
            var started = Stopwatch.GetTimestamp();
            ToolResult result;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Exception? refused = null;
            void Line(string line)
            {
                if (bringDisc is not null && DiscRequest.Parse(line) is { } disc)
                {
                    try
                    {
                        bringDisc(disc);
                    }
                    catch (Exception e)
                    {
                        // The step waits for that disc forever: it is stopped.
                        refused = e;
                        stop.Cancel();
                    }
                    return;
                }
                progress?.StepOutput(step, line);
            }
            try
            {
                result = runner.Run(step.Argv, allowedExitCodes: step.WarningExitCodes, cancellationToken: stop.Token,
                    standardInput: InputOf(step), timeout: StepTimeout,
                    standardOutputLine: progress is null && bringDisc is null ? null : Line);
            }
            catch (RescueKitException e) when (e is ToolFailedException or ToolTimedOutException or MissingPrerequisiteException)
            {
                throw new StepFailedException(step, e);
            }
            catch (OperationCanceledException) when (refused is not null)
            {
                throw refused;
            }
            // A step that finished all the same, stopped or not, did not have what it asked for.
            if (refused is not null) throw refused;
            // The marker is on disk before the next step starts: a power cut after it never repeats a finished step.
            WriteDurably(MarkerOf(step), $"{DateTimeOffset.UtcNow:O}{(result.ExitCode == 0 ? "" : $" with warnings (exit {result.ExitCode})")}\n");
            if (result.ExitCode == 0)
                progress?.StepFinished(step, i, plan.Steps.Count, Stopwatch.GetElapsedTime(started));
            else
            {
                _warnings.Add((step, result.StandardError));
                progress?.StepWarned(step, i, plan.Steps.Count, Stopwatch.GetElapsedTime(started), result.StandardError);
            }
        }
    }

    private string? InputOf(RestoreStep step)
    {
        if (step.SecretInput is not { } name) return step.Input;
        var secret = secrets?.Invoke(name)
            ?? throw new BadInputException($"restore step {step.Id} needs the secret {name}, and none was given");
        return secret + "\n";
    }

    /// <summary>Marks a step done without running it (the operator chose to skip it).</summary>
    public void MarkDone(RestoreStep step)
    {
        Directory.CreateDirectory(markerDirectory);
        WriteDurably(MarkerOf(step), $"{DateTimeOffset.UtcNow:O} skipped\n");
    }

    private static void WriteDurably(string path, string content)
    {
        var temp = path + ".tmp";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(content);
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
