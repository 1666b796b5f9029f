using RescueKit.Restore.Review;
using Terminal.Gui.ViewBase;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>Which of the backup's sets are restored: all by default; one left out gets its filesystem made, empty.</summary>
internal static class SetsPage
{
    public const string Legend = "Enter: restore or leave out   Tab: buttons   Esc: back";

    public static View Make(PlanDraft draft, Action<PageExit> done)
    {
        var page = new PageLayout(
            "What to restore: each set of the backup goes back to its filesystem. Enter\n" +
            "on a set to leave it out (its filesystem is still made, empty) or take it in.",
            3, ("Next", () => done(PageExit.Next)));
        void Refresh()
        {
            page.SetRows(draft.Sets.Select(s => ReviewText.SetRow(s.MountPoint, s.Set, s.Restored)).ToList());
            var errors = draft.Flaws.Where(f => f.IsError).ToList();
            page.Detail.Text = errors.Count == 0 ? "" : string.Join('\n', ReviewText.FlawLines(errors).Take(3));
        }
        page.OnEnter(i =>
        {
            var set = draft.Sets[i];
            draft.Restore(set.MountPoint, !set.Restored);
            Refresh();
        });
        Refresh();
        return page.Page;
    }
}
