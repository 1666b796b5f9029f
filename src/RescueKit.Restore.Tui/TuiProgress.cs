using RescueKit.Core.Restore;
using RescueKit.Restore.Execution;
using RescueKit.Restore.Tui.Pages;

namespace RescueKit.Restore.Tui;

/// <summary>The executor's progress on the progress page; the page is built again if the UI comes back (a shell).</summary>
public sealed class TuiProgress(TuiSession session) : IRestoreProgress
{
    private const int Kept = 200;
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();
    private ProgressPage? _page;
    private string _step = "Starting the restore";
    private string _output = "";

    public void Message(string line) => Add(line);

    public void StepStarting(RestoreStep step, int index, int count)
    {
        _step = $"Step {index + 1} of {count}: {step.Purpose}";
        _output = string.Join(' ', step.Argv);
        Add($"{index + 1}/{count} {step.Id}: started");
    }

    public void StepSkipped(RestoreStep step, int index, int count) => Add($"{index + 1}/{count} {step.Id}: done before, skipped");

    public void StepFinished(RestoreStep step, int index, int count, TimeSpan elapsed) =>
        Add($"{index + 1}/{count} {step.Id}: ok ({elapsed.TotalSeconds:0.0} s)");

    public void StepOutput(RestoreStep step, string line)
    {
        _output = line;
        Refresh();
    }

    public void StepWarned(RestoreStep step, int index, int count, TimeSpan elapsed, string standardError) =>
        Add($"{index + 1}/{count} {step.Id}: done with warnings ({elapsed.TotalSeconds:0.0} s): {standardError.Trim()}");

    private void Add(string line)
    {
        lock (_lock)
        {
            _lines.Add(line);
            if (_lines.Count > Kept) _lines.RemoveAt(0);
        }
        Refresh();
    }

    private void Refresh()
    {
        string step, output;
        string[] lines;
        lock (_lock)
        {
            (step, output, lines) = (_step, _output, [.. _lines]);
        }
        if (_page is null || !session.Showing(_page.Page))
            session.Show(ProgressPage.Legend, () => (_page = new ProgressPage(step, output, lines)).Page);
        else session.Post(() => _page.Update(step, output, lines));
    }
}
