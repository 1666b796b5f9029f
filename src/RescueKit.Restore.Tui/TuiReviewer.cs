using RescueKit.Core.Restore;
using RescueKit.Restore.Modes;
using RescueKit.Restore.Review;
using RescueKit.Restore.Tui.Pages;

namespace RescueKit.Restore.Tui;

/// <summary>
/// The interactive mode's review on the terminal: disk mapping, mountlist, sets and the plan's preview, in that order,
/// Esc going back a page (and, on the first, asking whether to leave); then the typed confirmation of each disk.
/// </summary>
public sealed class TuiReviewer(TuiSession session, ReviewChoices choices) : IPlanReviewer
{
    /// <summary>The start page: <paramref name="summary"/> (host, backup, disks) and the modes to choose from; with more
    /// than one of <paramref name="backups"/> known, choosing another of them too.</summary>
    public static StartChoice Start(TuiSession session, IReadOnlyList<string> summary, int backups = 1)
    {
        while (true)
        {
            var choice = session.Ask(backups > 1 ? StartPage.LegendWithBackups : StartPage.Legend,
                done => StartPage.Make(summary, backups, done), () => StartChoice.Leave);
            if (choice != StartChoice.Leave || ConfirmLeave(session)) return choice;
        }
    }

    /// <summary>One of <paramref name="backups"/> (a line each) picked in a list: its index, null for Esc.</summary>
    public static int? PickBackup(TuiSession session, IReadOnlyList<string> backups) =>
        session.OnUi(() => ListDialog.Pick(session.App, "The backup to restore from", backups));

    public bool Review(PlanDraft draft)
    {
        var page = 0;
        while (true)
        {
            var exit = page switch
            {
                0 => session.Ask(MappingPage.Legend, done => MappingPage.Make(session.App, draft, done), () => PageExit.Leave),
                1 => session.Ask(MountlistPage.Legend, done => MountlistPage.Make(session.App, draft, done), () => PageExit.Back),
                2 => session.Ask(SetsPage.Legend, done => SetsPage.Make(draft, done), () => PageExit.Back),
                _ => session.Ask(PreviewPage.Legend, done => PreviewPage.Make(session.App, draft, choices, done), () => PageExit.Back),
            };
            switch (exit)
            {
                case PageExit.Next when page == 3:
                    return true;
                case PageExit.Next:
                    page++;
                    break;
                case PageExit.Back:
                    page--;
                    break;
                case PageExit.Leave when ConfirmLeave(session):
                    return false;
            }
        }
    }

    /// <summary>The file picker over <paramref name="tree"/>: the --include globs of what was marked, or null when the
    /// person went back without choosing.</summary>
    public static IReadOnlyList<string>? PickFiles(TuiSession session, CatalogTree tree)
    {
        var picks = new FilePicks();
        var exit = session.Ask(FilesPage.Legend, done => FilesPage.Make(session.App, tree, picks, done), () => PageExit.Back);
        return exit == PageExit.Next ? picks.Includes(tree) : null;
    }

    /// <summary>Where picked files go: <paramref name="suggested"/> or a directory typed in; null when backed out.</summary>
    public static string? AskDestination(TuiSession session, string suggested) =>
        session.OnUi(() => FieldDialog.AskAbsolute(session.App, "Restore the files into",
            $"{suggested}: the system on the disks, mounted there first as the layout has it;\nanother directory gets each file under its full path.",
            suggested, "Restore"));

    /// <summary>Esc on a first page: leave only when the person says so (the default button, as nothing was written).</summary>
    private static bool ConfirmLeave(TuiSession session) =>
        session.AskQuery("Leave", "Leave without restoring? No disk has been touched.", "Stay", "Leave") == 1;

    public bool ConfirmErase(IReadOnlyList<PlannedDisk> disks) =>
        session.Ask<bool>(ConfirmErasePage.Legend, done => ConfirmErasePage.Make(disks, done), () => false);
}
