using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>What the rescue system found, and what to do with it.</summary>
internal static class StartPage
{
    public const string Legend = "Enter or 1-5: choose   Esc: leave";

    private static readonly (StartChoice Choice, string Text)[] Choices =
    [
        (StartChoice.Review, "1  Restore this machine: see and change the plan first, then confirm each disk"),
        (StartChoice.Nuke, "2  Nuke: restore everything as the backup has it, after a countdown"),
        (StartChoice.Compare, "3  Compare the disks here with the backup (writes nothing)"),
        (StartChoice.Shell, "4  Expert shell"),
        (StartChoice.Files, "5  Restore some files: pick them, into the system on the disks or a directory"),
    ];

    public static View Make(IReadOnlyList<string> summary, Action<StartChoice> done)
    {
        var page = new PageLayout(string.Join('\n', summary), 1);
        page.SetRows(Choices.Select(c => c.Text).ToList());
        page.OnEnter(i => done(Choices[i].Choice));
        page.List.KeyDown += (_, key) =>
        {
            var digit = key.AsRune.Value - '1';
            if (digit < 0 || digit >= Choices.Length) return;
            key.Handled = true;
            done(Choices[digit].Choice);
        };
        page.Detail.Text = "Nothing is written to a disk before you confirm it.";
        return page.Page;
    }
}
