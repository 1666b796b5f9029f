using RescueKit.Restore.Execution;
using RescueKit.Restore.Modes;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui;

/// <summary>The person nuke asks, on the terminal: the countdown any key stops, a failed step's command and error with
/// retry / skip / shell / abort, a passphrase never shown, a disc to put in.</summary>
public sealed class TuiOperator(TuiSession session) : IOperator
{
    public bool CountdownCompletes(int seconds)
    {
        Label? count = null;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Show("Any key: stop, nothing is written", () =>
        {
            var page = new View { CanFocus = true };
            count = new Label { X = Pos.Center(), Y = Pos.Center(), Text = Counting(seconds) };
            page.Add(new Label { X = Pos.Center(), Y = Pos.Center() - 2, Text = "The restore erases the disks listed before and restores them." }, count);
            page.KeyDown += (_, key) =>
            {
                key.Handled = true;
                stopped.TrySetResult();
            };
            return page;
        }, () => stopped.TrySetResult());
        for (var left = seconds; left > 0; left--)
        {
            if (stopped.Task.Wait(1000)) return false;
            if (session.Stopping) throw new OperationCanceledException("the terminal UI was stopped");
            var now = left - 1;
            session.Post(() => count?.Text = Counting(now));
        }
        return !stopped.Task.IsCompleted;
    }

    private static string Counting(int seconds) => $"Restoring in {seconds} s. Press any key to stop.";

    public StepDecision Decide(StepFailedException failure)
    {
        var error = string.Join('\n', (failure.StandardError ?? "").TrimEnd().Split('\n').TakeLast(8));
        var message = $"{failure.Step.Purpose}\n\n{string.Join(' ', failure.Step.Argv)}\n\n{(error.Length == 0 ? failure.Message : error)}\n\n" +
            "Retry runs it again, Skip marks it done and goes on, Shell opens a shell (the step is tried again after), Abort stops " +
            "(run 'rescuekit restore --mode nuke --resume' to go on later).";
        return session.AskQuery($"Step {failure.Step.Id} failed", message, "Retry", "Skip", "Shell", "Abort") switch
        {
            0 => StepDecision.Retry,
            1 => StepDecision.Skip,
            2 => StepDecision.Shell,
            _ => StepDecision.Abort,
        };
    }

    public string? AskSecret(string prompt) => session.Ask<string?>("Enter: done   Esc: give up", done =>
    {
        var page = new View { CanFocus = true };
        var field = new TextField { X = 0, Y = 2, Width = 50, Secret = true };
        field.Accepting += (_, e) =>
        {
            e.Handled = true;
            done(field.Text);
        };
        page.Add(new Label { X = 0, Y = 0, Width = Dim.Fill(), Text = prompt + " (not shown as you type)" }, field);
        return page;
    }, () => null);

    public bool AskForMedium(string prompt) => session.AskQuery("Insert the medium", prompt, "It is in", "Give up") == 0;
}
