using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Restore.Review;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>
/// Every entry of the mountlist with its size in the backup and on the disks chosen (the proportional resize, before
/// and after), and the flaws of the whole, live, as Mondo's evaluate_mountlist showed them.
/// </summary>
internal static class MountlistPage
{
    public const string Legend = "Enter: edit the entry   Tab: buttons   Esc: back";

    public static View Make(IApplication app, PlanDraft draft, Action<PageExit> done)
    {
        IReadOnlyList<MountlistEntry> entries = [];
        PageLayout page = null!;
        page = new PageLayout(
            "Mountlist: each device, what it holds, where it is mounted, its size now ->\n" +
            "on the disks chosen. Enter to change a size, mount point, type or label,\n" +
            "an array's level or members, or to drop it. Problems update as you edit.",
            5, ("Next", () => done(PageExit.Next)), ("Undo all edits", () =>
            {
                draft.ResetMountlist();
                Refresh();
            }));
        void Refresh()
        {
            entries = draft.Entries;
            page.SetRows(entries.Select(e => ReviewText.MountlistRow(e, draft.SizeOf(e.Device), draft.SizeSet(e.Device) is not null, draft.LeftOut(e.Device))).ToList());
            page.Detail.Text = string.Join('\n', ReviewText.FlawLines(draft.Flaws).Take(5));
        }
        page.OnEnter(i =>
        {
            var entry = entries[i];
            var members = entry.Role == MountlistRole.RaidArray
                ? string.Join(", ", draft.Layout.MdArrays.First(m => m.Device == entry.Device).Members.OrderBy(m => m.Slot).Select(m => m.Device))
                : null;
            try
            {
                if (EntryDialog.Edit(app, entry, draft.CanSize(entry.Device), draft.SizeSet(entry.Device)?.ToString(), members) is { } change)
                    draft.Edit(change);
            }
            catch (BadInputException e)
            {
                MessageBox.ErrorQuery(app, "Cannot change it", e.Message, "OK");
            }
            Refresh();
        });
        Refresh();
        return page.Page;
    }
}
