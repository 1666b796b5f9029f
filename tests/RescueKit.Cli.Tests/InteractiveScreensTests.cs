using RescueKit.Core;

namespace RescueKit.Cli.Tests;

/// <summary>
/// The terminal UI's start page and file picker on a pseudo-terminal of 80x24 (tmux), as a person drives them. Only
/// choices that write to no disk are taken here: the expert shell, leaving, and files restored into a directory.
/// </summary>
[TestFixture]
public sealed class InteractiveScreensTests
{
    [Test]
    public void TheStartPage_OpensTheShellOnKey4_ComesBackAfterIt_AndEscLeaves()
    {
        using var scratch = new BackupScratch("64M");
        var backup = BackupScratch.BackupDirectory(scratch.Backup());
        using var tty = new TmuxTerminal("linux", $"{Rescuekit.Binary} restore --mode interactive --backup {backup}");
        var start = tty.WaitFor("4  Expert shell");
        Assert.That(start, Does.Contain("Backup of ").And.Contain(": full, made ").And.Contain("UTC, not encrypted, 1 in its chain"));
        Assert.That(start, Does.Contain($"Sets: {scratch.Source.MountPoint}"));

        tty.Send("4");
        tty.WaitFor("\n#"); // the shell's prompt (the screen's lines come without their trailing blanks)
        tty.Type("echo in-the-shell-$((6*7))");
        tty.Send("Enter");
        tty.WaitFor("in-the-shell-42");
        tty.Type("exit");
        tty.Send("Enter");
        tty.WaitFor("4  Expert shell");

        LeaveFromTheStartPage(tty);
    }

    /// <summary>EFI_GLOBAL_VARIABLE's GUID (UEFI 2.10 §3.3), the suffix of SecureBoot's and SetupMode's efivarfs files.</summary>
    private const string GlobalVariables = "8be4df61-93ca-11d2-aa0d-00e098032b8c";

    /// <summary>The Secure Boot state on the start page, from an efivarfs directory staged as the firmware leaves it.</summary>
    [TestCase((byte)1, (byte)0, "Secure Boot: on")]
    [TestCase((byte)0, (byte)0, "Secure Boot: off")]
    [TestCase((byte)0, (byte)1, "Secure Boot: setup mode (off: no platform key enrolled)")]
    [TestCase(null, null, "Secure Boot: not UEFI (BIOS boot)")]
    public void TheStartPage_ShowsTheSecureBootState(byte? secureBoot, byte? setupMode, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("rk-efivars-").FullName;
        try
        {
            var efivars = Path.Combine(dir, "efivars");
            if (secureBoot is { } on)
            {
                Directory.CreateDirectory(efivars);
                // The attributes (NV|BS|RT = 6, little-endian), then the one-byte value, as efivarfs shows a variable.
                File.WriteAllBytes(Path.Combine(efivars, "SecureBoot-" + GlobalVariables), [6, 0, 0, 0, on]);
                File.WriteAllBytes(Path.Combine(efivars, "SetupMode-" + GlobalVariables), [6, 0, 0, 0, setupMode!.Value]);
            }
            using var tty = new TmuxTerminal("linux", $"env RK_EFIVARS={efivars} {Rescuekit.Binary} restore --mode interactive --backup {dir}/none");
            var start = tty.WaitFor("4  Expert shell");
            var line = start.Split('\n').FirstOrDefault(l => l.Contains("Secure Boot: ", StringComparison.Ordinal));
            Assert.That(line, Is.Not.Null, start);
            Assert.That(line!.Trim('│', ' '), Does.StartWith(expected), start);
            if (expected == "Secure Boot: off") Assert.That(line, Does.Not.Contain("setup mode"));
            LeaveFromTheStartPage(tty);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TheFilePicker_RestoresWhatWasMarked_AndNothingElse()
    {
        using var scratch = new BackupScratch("64M");
        scratch.Source.Shell("mkdir -p etc/ssh home/alice && printf 'pub\\n' > etc/ssh/key.pub && printf 'secret\\n' > etc/ssh/key " +
                             "&& printf 'notes\\n' > 'home/alice/notes [1].txt' && printf 'other\\n' > home/alice/other");
        var backup = BackupScratch.BackupDirectory(scratch.Backup());
        var to = Path.Combine(scratch.Directory, "restored");
        var mount = scratch.Source.MountPoint;
        using var tty = new TmuxTerminal("linux", $"{Rescuekit.Binary} restore --files-only --mode interactive --backup {backup} --to {to}");

        // Down from / to the set's mount point, one directory at a time.
        var node = "/";
        foreach (var part in mount.Split('/', StringSplitOptions.RemoveEmptyEntries).Append("home").Append("alice"))
        {
            var screen = tty.WaitFor($"Files of the backup: {node}");
            var rows = screen.Split('\n').Select(l => l.Trim('│', ' ')).ToList();
            var at = rows.FindIndex(r => r.EndsWith($"] {part}/", StringComparison.Ordinal));
            var cursor = rows.FindIndex(r => r.StartsWith("> ", StringComparison.Ordinal));
            Assert.That(at, Is.GreaterThanOrEqualTo(0), screen);
            for (var i = cursor; i < at; i++) tty.Send("Down");
            tty.Send("Enter");
            node = node.TrimEnd('/') + "/" + part;
        }
        var alice = tty.WaitFor($"Files of the backup: {node}");
        Assert.That(alice, Does.Contain("[ ] notes [1].txt").And.Contain("[ ] other"));
        tty.Send("Down", "Space"); // the first line is [..]; then notes [1].txt, sorted before other
        tty.WaitFor("[x] notes [1].txt");
        tty.Send("Tab", "Tab"); // to "Add a glob"
        tty.Send("Enter");
        tty.WaitFor("An absolute path or glob");
        tty.Type($"{mount.TrimEnd('/')}/etc/ssh/*.pub");
        tty.Send("Enter");
        var marked = tty.WaitFor("2 marked:");
        Assert.That(marked, Does.Contain("notes [1].txt"));
        tty.Send("BTab", "Enter"); // "Restore marked"
        Assert.That(tty.ExitCode(), Is.EqualTo(ExitCodes.Ok), tty.Screen());

        var restored = Path.Join(to, mount);
        Assert.That(File.ReadAllText(Path.Combine(restored, "home/alice/notes [1].txt")), Is.EqualTo("notes\n"));
        Assert.That(File.ReadAllText(Path.Combine(restored, "etc/ssh/key.pub")), Is.EqualTo("pub\n"));
        Assert.That(File.Exists(Path.Combine(restored, "home/alice/other")), Is.False);
        Assert.That(File.Exists(Path.Combine(restored, "etc/ssh/key")), Is.False);
    }

    [Test]
    public void StartPageChoice5_RestoresPickedFilesIntoADirectory_AndComesBack()
    {
        using var scratch = new BackupScratch("64M");
        scratch.Source.Shell("mkdir -p etc && printf 'wanted\\n' > etc/wanted && printf 'not\\n' > etc/unwanted");
        var backup = BackupScratch.BackupDirectory(scratch.Backup());
        var to = Path.Combine(scratch.Directory, "picked");
        using var tty = new TmuxTerminal("linux", $"{Rescuekit.Binary} restore --mode interactive --backup {backup}");
        tty.WaitFor("5  Restore some files");
        RestoreOneFile(tty, $"{scratch.Source.MountPoint}/etc/wanted", to);
        LeaveFromTheStartPage(tty);

        var restored = Path.Join(to, scratch.Source.MountPoint, "etc");
        Assert.That(File.ReadAllText(Path.Combine(restored, "wanted")), Is.EqualTo("wanted\n"));
        Assert.That(File.Exists(Path.Combine(restored, "unwanted")), Is.False);
    }

    [Test]
    public void StartPageChoice6_PicksTheOlderOfTwoBackups_AndTheFilesComeFromIt()
    {
        using var scratch = new BackupScratch("64M");
        scratch.Source.Shell("mkdir -p etc && printf 'older\\n' > etc/which");
        var older = BackupScratch.BackupDirectory(scratch.Backup());
        scratch.Source.Shell("printf 'newer\\n' > etc/which");
        var newer = BackupScratch.BackupDirectory(scratch.Backup());
        Assert.That(Path.GetDirectoryName(older), Is.EqualTo(Path.GetDirectoryName(newer)), "the two backups are one host's");
        var to = Path.Combine(scratch.Directory, "picked");
        using var tty = new TmuxTerminal("linux", $"{Rescuekit.Binary} restore --mode interactive --backup {newer}");
        var start = tty.WaitFor("6  Choose another backup (2 found)");
        Assert.That(start, Does.Contain($"At {newer}").And.Contain("1 other backup(s) found"));
        tty.Send("6");
        var list = tty.WaitFor("The backup to restore from");
        var rows = list.Split('\n').Select(l => l.Trim('│', ' ')).ToList();
        var newerRow = rows.FindIndex(r => r.Contains("> " + Path.GetFileName(newer) + "  full", StringComparison.Ordinal));
        var olderRow = rows.FindIndex(r => r.Contains(Path.GetFileName(older) + "  full", StringComparison.Ordinal));
        Assert.That(newerRow, Is.GreaterThanOrEqualTo(0).And.LessThan(olderRow), "newest first:\n" + list);
        tty.Send("Down", "Enter");
        tty.WaitFor($"At {older}");

        Assert.That(RestoreOneFile(tty, $"{scratch.Source.MountPoint}/etc/which", to), Does.Contain($"At {older}"));
        LeaveFromTheStartPage(tty);

        Assert.That(File.ReadAllText(Path.Join(to, scratch.Source.MountPoint, "etc/which")), Is.EqualTo("older\n"));
    }

    /// <summary>From the start page: choice 5, <paramref name="path"/> marked by the glob field, restored into
    /// <paramref name="to"/>; returns the start page it comes back to.</summary>
    internal static string RestoreOneFile(TmuxTerminal tty, string path, string to)
    {
        tty.Send("5");
        tty.WaitFor("Files of the backup: /");
        tty.Send("Tab", "Tab", "Enter"); // Add a glob
        tty.WaitFor("An absolute path or glob");
        tty.Type(path);
        tty.Send("Enter");
        tty.WaitFor("1 marked:");
        tty.Send("BTab", "Enter"); // Restore marked
        tty.WaitFor("Restore the files into");
        tty.Send(["End", .. Enumerable.Repeat("BSpace", "/mnt/target".Length)]);
        tty.Type(to);
        tty.Send("Enter");
        tty.WaitFor("The files are restored into " + to);
        tty.Send("Enter");
        return tty.WaitFor("4  Expert shell");
    }

    /// <summary>Esc, then the box's default button: the UI ends with "cancelled", nothing written.</summary>
    internal static void LeaveFromTheStartPage(TmuxTerminal tty)
    {
        tty.Send("Escape");
        tty.WaitFor("Leave without restoring?");
        tty.Send("Enter");
        Assert.That(tty.ExitCode(), Is.EqualTo(ExitCodes.Cancelled), tty.Screen());
    }

    [Test]
    public void TheFilePickerWithoutATerminal_IsRefused_NamingInclude()
    {
        var r = Rescuekit.Run("restore", "--files-only", "--mode", "interactive", "--backup", "/nonexistent", "--to", "/tmp/rk-nowhere");
        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "the file picker needs a terminal", "--include GLOB");
    }
}
