using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Restore;
using RescueKit.Restore.Review;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>The plan's steps in order with the devices each writes; its script to read; the plan to save.</summary>
internal static class PreviewPage
{
    public const string Legend = "Tab: buttons   Enter: press   Esc: back";

    public static View Make(IApplication app, PlanDraft draft, ReviewChoices choices, Action<PageExit> done)
    {
        RestorePlan? plan = null;
        string? problem = null;
        try
        {
            plan = draft.Plan();
        }
        catch (RescueKitException e)
        {
            problem = e.Message;
        }
        var buttons = new List<(string, Action)>
        {
            (choices.FinalAction, () =>
            {
                if (plan is null) MessageBox.ErrorQuery(app, "The plan cannot be made", problem + "\n\nGo back (Esc) and change it.", "OK");
                else done(PageExit.Next);
            }),
            ("View script", () =>
            {
                if (plan is not null) TextDialog.Show(app, "restore-plan.sh", choices.Script(plan));
            }),
        };
        if (choices.Save is { } save)
            buttons.Add(("Save plan", () =>
            {
                if (plan is null) return;
                try
                {
                    MessageBox.Query(app, "Saved", save(plan), "OK");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or RescueKitException)
                {
                    MessageBox.ErrorQuery(app, "Not saved", e.Message, "OK");
                }
            }));
        var heading = plan is null
            ? "The plan cannot be made yet:"
            : string.Join('\n', plan.Disks.Take(3).Select(d => $"{d.Source} ({ByteSize.Format(d.SourceSize)}) -> {d.Target} " +
                $"({ByteSize.Format(d.TargetSize)}){Resized(d)}: erased")) + $"\nThe plan, {plan.Steps.Count} steps in order:";
        var page = new PageLayout(heading, 3, [.. buttons]);
        if (plan is null) page.SetRows(ReviewText.FlawLines(draft.Flaws));
        else
        {
            page.SetRows(plan.Steps.Select((s, i) => ReviewText.StepRow(s, i)).ToList());
            var notes = plan.Notes.Concat(draft.Flaws.Select(f => f.ToString())).ToList();
            page.Detail.Text = notes.Count == 0 ? (plan.Steps.Count == 0 ? "" : ReviewText.StepDetail(plan.Steps[0]))
                : $"{notes.Count} note(s) on the plan, the first: {notes[0]}";
            page.OnMove(i => page.Detail.Text = ReviewText.StepDetail(plan.Steps[i]));
        }
        return page.Page;
    }

    private static string Resized(PlannedDisk disk) => disk.Resize is { } r
        ? $", partitions {string.Join(",", r.Scaled)} x{r.Factor:0.##}" : "";
}
