using System.Collections.ObjectModel;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>A list whose line under the cursor carries a '>' as well as a colour: on a monochrome serial terminal the
/// colour alone shows nothing.</summary>
internal sealed class MarkedList
{
    private ObservableCollection<string> _shown = [];
    private IReadOnlyList<string> _rows = [];

    public ListView View { get; } = new();

    public MarkedList()
    {
        View.SetSource(_shown);
        // Its type-to-search would take the keys the pages give meaning to (digits, Space) and never find a line:
        // every line starts with the cursor's mark.
        View.KeystrokeNavigator = null;
        View.ValueChanged += (_, _) => Mark();
    }

    /// <summary>The index of the line under the cursor, or null for an empty list.</summary>
    public int? Selected => View.Value is int i && i < _rows.Count ? i : null;

    /// <summary>Replaces the lines, keeping the cursor where it was when it still has a line.</summary>
    public void SetRows(IReadOnlyList<string> rows)
    {
        var keep = Selected ?? 0;
        _rows = rows;
        // A new collection in one go: each Add to a shown one costs the list a pass over all its lines.
        _shown = new ObservableCollection<string>(rows.Select(r => "  " + r));
        View.SetSource(_shown);
        if (rows.Count > 0) View.Value = Math.Min(keep, rows.Count - 1);
        Mark();
    }

    /// <summary>Calls <paramref name="chosen"/> with the line's index when Enter is pressed on it.</summary>
    public void OnEnter(Action<int> chosen) => View.Accepting += (_, e) =>
    {
        // Handled here: an Accept reaching the window would end the application.
        e.Handled = true;
        if (Selected is { } i) chosen(i);
    };

    /// <summary>Calls <paramref name="moved"/> with the line's index when the cursor comes to it.</summary>
    public void OnMove(Action<int> moved) => View.ValueChanged += (_, _) =>
    {
        if (Selected is { } i) moved(i);
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
