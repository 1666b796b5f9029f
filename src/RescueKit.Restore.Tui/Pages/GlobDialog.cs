using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>A glob over the host's absolute paths (as --include takes), or null when the person backed out.</summary>
internal static class GlobDialog
{
    public static string? Ask(IApplication app)
    {
        var dialog = new Dialog { Title = "Add a glob", Width = 70 };
        var field = new TextField { X = 0, Y = 1, Width = Dim.Fill(), Text = "/" };
        dialog.Add(new Label { X = 0, Y = 0, Text = "An absolute path or glob; * also matches '/', e.g. /etc/ssh/*.pub" }, field);
        dialog.AddButton(new Button { Text = "Cancel" });
        dialog.AddButton(new Button { Text = "Add" });
        app.Run(dialog);
        var glob = dialog.Result == 1 ? field.Text.Trim() : null;
        dialog.Dispose();
        return glob is { Length: > 1 } && glob.StartsWith('/') ? glob : null;
    }
}
