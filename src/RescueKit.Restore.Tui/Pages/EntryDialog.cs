using RescueKit.Core.Layout;
using RescueKit.Restore.Review;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>The fields of one mountlist entry; the change made, or null when the person backed out.</summary>
internal static class EntryDialog
{
    public static MountlistChange? Edit(IApplication app, MountlistEntry entry)
    {
        var swap = entry.Role == MountlistRole.Swap;
        var dialog = new Dialog { Title = $"Edit {entry.Device}", Width = 64 };
        var y = 0;
        TextField Field(string caption, string? value)
        {
            dialog.Add(new Label { X = 0, Y = y, Text = caption });
            var field = new TextField { X = 14, Y = y, Width = 40, Text = value ?? "" };
            dialog.Add(field);
            y += 2;
            return field;
        }
        var mountPoint = swap ? null : Field("Mount point:", entry.MountPoint);
        var type = swap ? null : Field("Type:", entry.Format);
        var label = Field("Label:", entry.Label);
        dialog.Add(new Label { X = 0, Y = y, Text = swap ? "Drop: the device is left as it is, no swap is made on it."
            : "An empty mount point leaves it unmounted. Drop: the device is left\nunformatted." });
        dialog.AddButton(new Button { Text = "Cancel" });
        dialog.AddButton(new Button { Text = "Drop" });
        dialog.AddButton(new Button { Text = "OK" });
        app.Run(dialog);
        var pressed = dialog.Result;
        dialog.Dispose();
        if (pressed == 1) return new MountlistChange(entry.Device) { Drop = true };
        if (pressed != 2) return null;
        static string? Changed(TextField? field, string? old) => field is null || field.Text == (old ?? "") ? null : field.Text.Trim();
        return new MountlistChange(entry.Device)
        {
            MountPoint = Changed(mountPoint, entry.MountPoint),
            Type = Changed(type, entry.Format),
            Label = Changed(label, entry.Label),
        };
    }
}
