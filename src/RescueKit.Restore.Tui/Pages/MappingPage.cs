using RescueKit.Core;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Review;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>The disks of the backup's layout beside the disks here: the engine's proposal, and any of it changed.</summary>
internal static class MappingPage
{
    public const string Legend = "Enter: choose the disk   Tab: buttons   Esc: leave";

    public static View Make(IApplication app, PlanDraft draft, Action<PageExit> done)
    {
        var page = new PageLayout(
            "Disk mapping: where each disk of the backup goes. Everything on a target\n" +
            "disk is erased. Enter on a disk to choose another target, or to leave it out.",
            4, ("Next", () => done(PageExit.Next)));
        void Refresh()
        {
            page.SetRows(draft.Source.Disks.Select(d => ReviewText.MappingRow(draft, d)).ToList());
            var gaps = draft.Mapping.Unmapped.Select(g => g.IsAmbiguous
                ? $"{g.Source} fits {string.Join(" and ", g.Candidates)} equally well: choose one"
                : $"{g.Source} fits no free disk here (it needs {Core.Backup.ByteSize.Format(g.RequiredSize)})").ToList();
            page.Detail.Text = gaps.Count == 0 ? "Every disk has a target." : string.Join('\n', gaps);
        }
        page.OnEnter(i =>
        {
            var source = draft.Source.Disks[i].Path;
            var candidates = draft.Candidates(source);
            var choices = candidates.Select(c => ReviewText.CandidateRow(c.Disk, c.Refused))
                .Append("leave this disk out (nothing is restored from it)")
                .Append("the proposal (let RescueKit choose)").ToList();
            var picked = ListDialog.Pick(app, $"Target for {source}", choices);
            if (picked is not { } p) return;
            string? target = p < candidates.Count ? candidates[p].Disk.Path : p == candidates.Count ? DiskMapper.Skip : null;
            if (p < candidates.Count && candidates[p].Refused is { } why)
            {
                MessageBox.ErrorQuery(app, "Cannot choose that disk", $"{candidates[p].Disk.Path} cannot be chosen: {why}.", "OK");
                return;
            }
            try
            {
                draft.Map(source, target);
            }
            catch (BadInputException e)
            {
                MessageBox.ErrorQuery(app, "Cannot map", e.Message, "OK");
            }
            Refresh();
        });
        Refresh();
        return page.Page;
    }
}
