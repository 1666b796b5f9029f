using RescueKit.Core.Restore;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>
/// Before the first write: the person types the name of each disk to be erased, one after the other. A name typed
/// wrong is refused and asked again; Esc stops with nothing written.
/// </summary>
internal static class ConfirmErasePage
{
    public const string Legend = "Type the disk's name, then Enter   Esc: stop, nothing is written";

    public static View Make(IReadOnlyList<PlannedDisk> disks, Action<bool> done)
    {
        var page = new PageLayout("These disks will be erased and restored:", 2);
        page.SetRows(disks.Select(ReviewText.EraseRow).ToList());
        page.List.CanFocus = false;
        var prompt = new Label { X = 0, Y = Pos.AnchorEnd(5), Width = Dim.Fill() };
        var field = new TextField { X = 0, Y = Pos.AnchorEnd(4), Width = 40 };
        page.Page.Add(prompt, field);
        var next = 0;
        void Ask() => prompt.Text = $"Disk {next + 1} of {disks.Count}: type {disks[next].Target} to erase it";
        field.Accepting += (_, e) =>
        {
            e.Handled = true;
            var typed = field.Text.Trim();
            if (typed != disks[next].Target)
            {
                page.Detail.Text = $"'{typed}' is not {disks[next].Target}: nothing was written. Type it exactly, or Esc to stop.";
                field.Text = "";
                return;
            }
            field.Text = "";
            page.Detail.Text = $"{disks[next].Target} confirmed.";
            if (++next == disks.Count) done(true);
            else Ask();
        };
        Ask();
        return page.Page;
    }
}
