using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>The restore as it runs: the step it is at, the line its command printed last (an extract's bytes, rate
/// and file), and the restore's own lines, newest at the foot.</summary>
internal sealed class ProgressPage
{
    public const string Legend = "The restore is running; its log is in the restore directory";

    private readonly PageLayout _layout = new("", 2);

    public View Page => _layout.Page;

    public ProgressPage(string step, string output, IReadOnlyList<string> lines)
    {
        _layout.List.CanFocus = false;
        Update(step, output, lines);
    }

    public void Update(string step, string output, IReadOnlyList<string> lines)
    {
        _layout.Heading.Text = step;
        _layout.Detail.Text = output;
        _layout.SetRows(lines.Select(l => l.Length <= ReviewText.Width ? l : l[..(ReviewText.Width - 3)] + "...").ToList());
        if (lines.Count > 0) _layout.List.Value = lines.Count - 1;
    }
}
