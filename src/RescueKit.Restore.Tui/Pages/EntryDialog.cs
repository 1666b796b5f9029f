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
        var drop = new CheckBox { X = 0, Y = y, Text = "Drop this entry (the device is left unformatted)" };
        dialog.Add(drop);
        dialog.Add(new Label { X = 0, Y = y + 2, Text = "An empty mount point leaves the filesystem unmounted." });
        dialog.AddButton(new Button { Text = "Cancel" });
        dialog.AddButton(new Button { Text = "OK" });
        app.Run(dialog);
        var ok = dialog.Result == 1;
        dialog.Dispose();
        if (!ok) return null;
        if (drop.Value == Terminal.Gui.Views.CheckState.Checked) return new MountlistChange(entry.Device) { Drop = true };
        static string? Changed(TextField? field, string? old) => field is null || field.Text == (old ?? "") ? null : field.Text.Trim();
        return new MountlistChange(entry.Device)
        {
            MountPoint = Changed(mountPoint, entry.MountPoint),
            Type = Changed(type, entry.Format),
            Label = Changed(label, entry.Label),
        };
    }
}
