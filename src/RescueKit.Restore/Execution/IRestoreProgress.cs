using RescueKit.Core;
using RescueKit.Core.Restore;

namespace RescueKit.Restore.Execution;

/// <summary>What the executor tells a front-end (plain lines, a progress bar, the terminal UI) as it works.</summary>
public interface IRestoreProgress
{
    /// <summary>A line of the restore's own: what it restores, a check it runs, the outcome.</summary>
    void Message(string line);

    void StepStarting(RestoreStep step, int index, int count);

    /// <summary>The step's marker says an earlier run finished it.</summary>
    void StepSkipped(RestoreStep step, int index, int count);

    void StepFinished(RestoreStep step, int index, int count, TimeSpan elapsed);

    /// <summary>A line the step's command printed on stdout while it runs (an extract's progress).</summary>
    void StepOutput(RestoreStep step, string line);

    /// <summary>The step finished with one of its warning exit codes (<see cref="RestoreStep.WarningExitCodes"/>):
    /// done, but something in it was skipped; <paramref name="standardError"/> says what.</summary>

    void StepWarned(RestoreStep step, int index, int count, TimeSpan elapsed, string standardError);
}
