using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Restore.Review;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>Every entry of the mountlist with the flaws of the whole, live, as Mondo's evaluate_mountlist showed them.</summary>
internal static class MountlistPage
{
    public const string Legend = "Enter: edit the entry   Tab: buttons   Esc: back";

    public static View Make(IApplication app, PlanDraft draft, Action<PageExit> done)
    {
        IReadOnlyList<MountlistEntry> entries = [];
        PageLayout page = null!;
        page = new PageLayout(
            "Mountlist: what each device holds and where it is mounted. Enter on a\n" +
            "filesystem or swap to change its mount point, type or label, or to drop it.\n" +
            "The problems below update as you edit.",
            5, ("Next", () => done(PageExit.Next)), ("Undo all edits", () =>
            {
                draft.ResetMountlist();
                Refresh();
            }));
        void Refresh()
        {
            entries = Mountlist.Of(draft.Layout);
            page.SetRows(entries.Select(ReviewText.MountlistRow).ToList());
            page.Detail.Text = string.Join('\n', ReviewText.FlawLines(draft.Flaws).Take(5));
        }
        page.OnEnter(i =>
        {
            var entry = entries[i];
            if (entry.Role is not (MountlistRole.Filesystem or MountlistRole.Swap))
            {
                MessageBox.Query(app, "Not editable here", $"{entry.Device} is a {entry.Format} entry: only filesystems and swap are edited on this page.", "OK");
                return;
            }
            if (EntryDialog.Edit(app, entry) is not { } change) return;
            try
            {
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
