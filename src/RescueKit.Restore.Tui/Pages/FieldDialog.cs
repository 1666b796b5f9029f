using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>One line to type, under a few lines saying what it is: the text given with the action button (an absolute
/// path or glob, as every caller asks), or null when the person backed out or typed no absolute path.</summary>
internal static class FieldDialog
{
    public static string? AskAbsolute(IApplication app, string title, string explanation, string initial, string action)
    {
        var lines = explanation.Split('\n').Length;
        var dialog = new Dialog { Title = title, Width = 72 };
        var field = new TextField { X = 0, Y = lines + 1, Width = Dim.Fill(), Text = initial };
        dialog.Add(new Label { X = 0, Y = 0, Text = explanation }, field);
        dialog.AddButton(new Button { Text = "Cancel" });
        dialog.AddButton(new Button { Text = action });
        app.Run(dialog);
        var typed = dialog.Result == 1 ? field.Text.Trim() : null;
        dialog.Dispose();
        return typed is { Length: > 1 } && typed.StartsWith('/') ? typed : null;
    }
}
