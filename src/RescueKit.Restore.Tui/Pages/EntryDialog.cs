using RescueKit.Core.Layout;
using RescueKit.Restore.Planning;
using RescueKit.Restore.Review;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>
/// The fields of one mountlist entry: a filesystem's mount point, type and label (a swap's label), the size of the
/// partition or LV it is on, an md array's level and members. The change made, or null when the person backed out.
/// </summary>
internal static class EntryDialog
{
    /// <summary>What the size field takes, under it.</summary>
    private const string SizeHint = "Size: 20G, 512M, +10%, -2G or rest (what the disk or VG has left);\nempty: resized in proportion with the others.";

    /// <param name="sizable">The entry is on a partition or LV, whose size can be set.</param>
    /// <param name="sizeSet">The size set for it before, or null.</param>
    /// <param name="members">An md array's members, comma-separated; null for other entries.</param>
    /// <exception cref="Core.BadInputException">A size typed that is none (named).</exception>
    public static MountlistChange? Edit(IApplication app, MountlistEntry entry, bool sizable, string? sizeSet, string? members)
    {
        var swap = entry.Role == MountlistRole.Swap;
        var filesystem = entry.Role == MountlistRole.Filesystem;
        var array = entry.Role == MountlistRole.RaidArray;
        var dialog = new Dialog { Title = $"Edit {entry.Device}", Width = 72 };
        var y = 0;
        TextField Field(string caption, string? value)
        {
            dialog.Add(new Label { X = 0, Y = y, Text = caption });
            var field = new TextField { X = 14, Y = y, Width = 50, Text = value ?? "" };
            dialog.Add(field);
            y += 2;
            return field;
        }
        var mountPoint = filesystem ? Field("Mount point:", entry.MountPoint) : null;
        var type = filesystem ? Field("Type:", entry.Format) : null;
        var label = filesystem || swap ? Field("Label:", entry.Label) : null;
        var level = array ? Field("RAID level:", entry.Format.Split(' ')[0]) : null;
        var memberField = array ? Field("Members:", members) : null;
        var size = sizable ? Field("Size:", sizeSet) : null;
        var help = array ? "Members: partitions, comma-separated, in slot order. The array's size\nfollows its level and its smallest member."
            : (size is null ? "No size is set here: an md array follows its members, a whole disk\nis its target's size." : SizeHint)
              + (filesystem ? "\nAn empty mount point leaves it unmounted. Drop: the device is left\nunformatted." : swap ? "\nDrop: the device is left as it is, no swap is made on it." : "");
        dialog.Add(new Label { X = 0, Y = y, Text = help });
        dialog.AddButton(new Button { Text = "Cancel" });
        if (filesystem || swap) dialog.AddButton(new Button { Text = "Drop" });
        dialog.AddButton(new Button { Text = "OK" });
        app.Run(dialog);
        var pressed = dialog.Result;
        var ok = filesystem || swap ? 2 : 1;
        var texts = new[] { mountPoint, type, label, level, memberField, size }.Select(f => f?.Text).ToArray();
        dialog.Dispose();
        if ((filesystem || swap) && pressed == 1) return new MountlistChange(entry.Device) { Drop = true };
        if (pressed != ok) return null;
        static string? Changed(string? text, string? old) => text is null || text == (old ?? "") ? null : text.Trim();
        var sizeText = Changed(texts[5], sizeSet);
        var memberText = Changed(texts[4], members);
        return new MountlistChange(entry.Device)
        {
            MountPoint = Changed(texts[0], entry.MountPoint),
            Type = Changed(texts[1], entry.Format),
            Label = Changed(texts[2], entry.Label),
            Level = Changed(texts[3], entry.Format.Split(' ')[0]),
            Members = memberText?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Size = sizeText is { Length: > 0 } ? SizeRequest.Parse(sizeText) : null,
            ResetSize = sizeText is { Length: 0 },
        };
    }
}
