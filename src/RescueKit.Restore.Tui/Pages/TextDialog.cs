using System.Collections.ObjectModel;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>A long text to read and scroll (the plan's script), closed with Esc or its button.</summary>
internal static class TextDialog
{
    public static void Show(IApplication app, string title, string text)
    {
        var dialog = new Dialog { Title = title, Width = Dim.Fill(), Height = Dim.Fill() };
        // A list of its lines: read-only, scrolled with the arrows and Page Up/Down.
        var view = new ListView { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(1) };
        view.SetSource(new ObservableCollection<string>(text.Split('\n')));
        dialog.Add(view);
        dialog.AddButton(new Button { Text = "Close" });
        app.Run(dialog);
        dialog.Dispose();
    }
}
