using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>
/// The shape every page has: a heading, a list filling the middle, a few lines of detail under it, and a row of
/// buttons at the foot. The focused button carries a '>' as well as a colour, as the list's line does.
/// </summary>
internal sealed class PageLayout
{
    private readonly MarkedList _list = new();

    public View Page { get; }
    public ListView List => _list.View;
    public Label Heading { get; }
    public Label Detail { get; }

    public PageLayout(string heading, int detailHeight, params (string Text, Action Pressed)[] buttons)
    {
        Page = new View { CanFocus = true };
        Heading = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Auto(), Text = heading };
        List.X = 0;
        List.Y = Pos.Bottom(Heading) + 1;
        List.Width = Dim.Fill();
        List.Height = Dim.Fill(detailHeight + 2);
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

    public int? Selected => _list.Selected;

    public void SetRows(IReadOnlyList<string> rows) => _list.SetRows(rows);

    public void OnEnter(Action<int> chosen) => _list.OnEnter(chosen);

    public void OnMove(Action<int> moved) => _list.OnMove(moved);
}
