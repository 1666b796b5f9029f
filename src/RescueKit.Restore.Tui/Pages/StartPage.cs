using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;

namespace RescueKit.Restore.Tui.Pages;

/// <summary>What the rescue system found, and what to do with it.</summary>
internal static class StartPage
{
    public const string Legend = "Enter or 1-5: choose   Esc: leave";
    public const string LegendWithBackups = "Enter or 1-6: choose   Esc: leave";

    private static readonly (StartChoice Choice, string Text)[] Choices =
    [
        (StartChoice.Review, "1  Restore this machine: see and change the plan first, then confirm each disk"),
        (StartChoice.Nuke, "2  Nuke: restore everything as the backup has it, after a countdown"),
        (StartChoice.Compare, "3  Compare the disks here with the backup (writes nothing)"),
        (StartChoice.Shell, "4  Expert shell"),
        (StartChoice.Files, "5  Restore some files: pick them, into the system on the disks or a directory"),
    ];

    /// <summary>The page; <paramref name="backups"/> above one adds choice 6, another of the backups found.</summary>
    public static View Make(IReadOnlyList<string> summary, int backups, Action<StartChoice> done)
    {
        var page = new PageLayout(string.Join('\n', summary), 1);
        var choices = backups > 1
            ? [.. Choices, (StartChoice.OtherBackup, $"6  Choose another backup ({backups} found)")]
            : Choices;
        page.SetRows(choices.Select(c => c.Text).ToList());
        page.OnEnter(i => done(choices[i].Choice));
        page.List.KeyDown += (_, key) =>
        {
            var digit = key.AsRune.Value - '1';
            if (digit < 0 || digit >= choices.Length) return;
            key.Handled = true;
            done(choices[digit].Choice);
        };
        page.Detail.Text = "Nothing is written to a disk before you confirm it.";
        return page.Page;
    }
}
