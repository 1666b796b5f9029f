using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>A modal list to pick one line from: the index chosen with Enter, null for Esc.</summary>
internal static class ListDialog
{
    public static int? Pick(IApplication app, string title, IReadOnlyList<string> choices)
    {
        var dialog = new Dialog { Title = title, Width = Dim.Percent(95), Height = Math.Min(choices.Count + 4, 20) };
        var list = new MarkedList();
        list.View.X = 0;
        list.View.Y = 0;
        list.View.Width = Dim.Fill();
        list.View.Height = Dim.Fill(1);
        list.SetRows(choices);
        int? picked = null;
        list.OnEnter(i =>
        {
            picked = i;
            dialog.RequestStop();
        });
        dialog.Add(list.View, new Label { X = 0, Y = Pos.AnchorEnd(1), Text = "Enter: choose   Esc: keep as it is" });
        app.Run(dialog);
        dialog.Dispose();
        return picked;
    }
}
