using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>The directory picked files are restored into, each under its full path; null when the person backed out.</summary>
internal static class DestinationDialog
{
    public static string? Ask(IApplication app, string suggested)
    {
        var dialog = new Dialog { Title = "Restore the files into", Width = 72 };
        var field = new TextField { X = 0, Y = 2, Width = Dim.Fill(), Text = suggested };
        dialog.Add(new Label
        {
            X = 0, Y = 0,
            Text = $"{suggested}: the system on the disks, mounted there first as the layout has it;\nanother directory gets each file under its full path.",
        }, field);
        dialog.AddButton(new Button { Text = "Cancel" });
        dialog.AddButton(new Button { Text = "Restore" });
        app.Run(dialog);
        var to = dialog.Result == 1 ? field.Text.Trim() : null;
        dialog.Dispose();
        return to is { Length: > 0 } && to.StartsWith('/') ? to : null;
    }
}
