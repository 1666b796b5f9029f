using System.Collections.ObjectModel;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>
/// The shape every page has: a heading, a list filling the middle, a few lines of detail under it, and a row of
/// buttons at the foot. The line under the cursor and the focused button carry a '>' as well as a colour: on a
/// monochrome serial terminal the colour alone shows nothing.
/// </summary>
internal sealed class PageLayout
{
    private readonly ObservableCollection<string> _shown = [];
    private IReadOnlyList<string> _rows = [];

    public View Page { get; }
    public ListView List { get; }
    public Label Heading { get; }
    public Label Detail { get; }

    public PageLayout(string heading, int detailHeight, params (string Text, Action Pressed)[] buttons)
    {
        Page = new View { CanFocus = true };
        Heading = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Auto(), Text = heading };
        List = new ListView { X = 0, Y = Pos.Bottom(Heading) + 1, Width = Dim.Fill(), Height = Dim.Fill(detailHeight + 2) };
        List.SetSource(_shown);
        List.ValueChanged += (_, _) => Mark();
        Detail = new Label { X = 0, Y = Pos.AnchorEnd(detailHeight + 1), Width = Dim.Fill(), Height = detailHeight };
        Page.Add(Heading, List, Detail);
        View? previous = null;
        foreach (var (text, pressed) in buttons)
        {
            var button = new Button { Text = text, X = previous is null ? 0 : Pos.Right(previous) + 2, Y = Pos.AnchorEnd(1) };
            button.Accepting += (_, e) =>
            {
                // Handled here: an Accept reaching the window would end the application.
                e.Handled = true;
                pressed();
            };
            button.HasFocusChanged += (_, e) => button.Text = e.NewValue ? ">" + text : text;
            Page.Add(button);
            previous = button;
        }
    }

    /// <summary>The index of the line under the cursor, or null for an empty list.</summary>
    public int? Selected => List.Value is int i && i < _rows.Count ? i : null;

    /// <summary>Replaces the lines, keeping the cursor where it was when it still has a line.</summary>
    public void SetRows(IReadOnlyList<string> rows)
    {
        var keep = Selected ?? 0;
        _rows = rows;
        _shown.Clear();
        foreach (var row in rows) _shown.Add("  " + row);
        if (rows.Count > 0) List.Value = Math.Min(keep, rows.Count - 1);
        Mark();
    }

    /// <summary>Calls <paramref name="chosen"/> with the line's index when Enter is pressed on it.</summary>
    public void OnEnter(Action<int> chosen) => List.Accepting += (_, e) =>
    {
        e.Handled = true;
        if (Selected is { } i) chosen(i);
    };

    private void Mark()
    {
        for (var i = 0; i < _rows.Count && i < _shown.Count; i++)
        {
            var line = (i == Selected ? "> " : "  ") + _rows[i];
            if (_shown[i] != line) _shown[i] = line;
        }
    }
}
