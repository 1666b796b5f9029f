using RescueKit.Core;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `rescuekit restore --mode interactive --dry-run` on a pseudo-terminal of 80x24, as a person at a serial console
/// drives it: the lab's raid1 layout onto two equal disks, which the engine will not guess between.
/// </summary>
[TestFixture]
public sealed class InteractiveDryRunTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("rk-tui-").FullName;
        File.WriteAllText(Path.Combine(_dir, "disks.json"), """
            {"blockdevices":[{"name":"sda","path":"/dev/sda","type":"disk","size":134217728},
            {"name":"sdb","path":"/dev/sdb","type":"disk","size":134217728}]}
            """);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string Raid1Layout
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(dir!.FullName, "RescueKit.sln"))) dir = dir.Parent;
            return Path.Combine(dir.FullName, "tests", "RescueKit.Restore.Tests", "Fixtures", "raid1-layout.json");
        }
    }

    private string Command(string outDir, string? prefix = null) =>
        $"{prefix}{Rescuekit.Binary} restore --mode interactive --dry-run --layout {Raid1Layout} --disks {_dir}/disks.json --out {outDir}";

    /// <summary>Box-drawing lines and ASCII: what the Linux console's font and a vt100 have.</summary>
    private static void AssertConsoleSafe(string screen)
    {
        var foreign = screen.Where(c => c > '~' && c is not (>= '\u2500' and <= '\u257f')).Distinct().ToArray();
        Assert.That(foreign, Is.Empty, $"glyphs a console font may lack:\n{screen}");
    }

    [TestCase("linux")]
    [TestCase("vt100")]
    public void WalkingToThePreview_SavesThePlanOfTheDisksChosen(string term)
    {
        using var tty = new TmuxTerminal(term, Command($"{_dir}/plan"));
        var first = tty.WaitFor("Disk mapping");
        Assert.That(first, Does.Contain("> /dev/vda 128.0 MiB  -> ? (choose)"));
        Assert.That(first, Does.Contain("/dev/vda fits /dev/sda and /dev/sdb equally well: choose one"));
        AssertConsoleSafe(first);

        tty.Send("Enter");
        tty.WaitFor("Target for /dev/vda");
        tty.Send("Down", "Enter"); // /dev/sdb for /dev/vda: the other way round from the names' order
        var mapped = tty.WaitFor("Every disk has a target.");
        Assert.That(mapped, Does.Contain("/dev/vda 128.0 MiB  -> /dev/sdb 128.0 MiB").And.Contain("/dev/vdb 128.0 MiB  -> /dev/sda 128.0 MiB (proposed)"));

        tty.Send("Tab", "Enter");
        var mountlist = tty.WaitFor("Mountlist:");
        Assert.That(mountlist, Does.Contain("/dev/md0").And.Contain("/mnt/data").And.Contain("No problems: the plan can be made."));
        tty.Send("Tab", "Enter");
        tty.WaitFor("What to restore");
        tty.Send("Tab", "Enter");
        var preview = tty.WaitFor("The plan, 10 steps in order:");
        Assert.That(preview, Does.Contain("/dev/vda (128.0 MiB) -> /dev/sdb (128.0 MiB): erased"));
        AssertConsoleSafe(preview);
        tty.Send("Tab", "Enter");
        Assert.That(tty.ExitCode(), Is.EqualTo(ExitCodes.Ok), tty.Screen());

        // The plan saved is the one the plain dry run makes of the same choice.
        var plain = Rescuekit.Run("restore", "--dry-run", "--layout", Raid1Layout, "--disks", $"{_dir}/disks.json", "--out", $"{_dir}/plain",
            "--map", "/dev/vda=/dev/sdb", "--map", "/dev/vdb=/dev/sda");
        Assert.That(plain.ExitCode, Is.EqualTo(ExitCodes.Ok), plain.Stderr);
        Assert.That(File.ReadAllText($"{_dir}/plan/restore-plan.json"), Is.EqualTo(File.ReadAllText($"{_dir}/plain/restore-plan.json")));
        Assert.That(File.ReadAllText($"{_dir}/plan/restore-plan.sh"), Is.EqualTo(File.ReadAllText($"{_dir}/plain/restore-plan.sh")));
    }

    [Test]
    public void ADiskAlreadyTaken_IsRefusedWithTheReason_AndTheMappingStays()
    {
        using var tty = new TmuxTerminal("linux", Command($"{_dir}/plan"));
        tty.WaitFor("Disk mapping");
        tty.Send("Enter");
        tty.WaitFor("Target for /dev/vda");
        tty.Send("Enter"); // /dev/sda
        tty.WaitFor("-> /dev/sda 128.0 MiB");
        tty.Send("Down", "Enter");
        var choices = tty.WaitFor("Target for /dev/vdb");
        Assert.That(choices, Does.Contain("/dev/sda 128.0 MiB  - cannot: /dev/vda goes there"));
        tty.Send("Enter"); // /dev/sda again
        var refused = tty.WaitFor("Cannot choose that disk");
        Assert.That(refused, Does.Contain("/dev/sda cannot be chosen: /dev/vda goes there."));
        tty.Send("Enter");
        var after = tty.WaitFor("Disk mapping");
        Assert.That(after, Does.Contain("/dev/vda 128.0 MiB  -> /dev/sda 128.0 MiB").And.Contain("/dev/vdb 128.0 MiB  -> /dev/sdb 128.0 MiB (proposed)"));
    }

    [Test]
    public void AMountlistEdit_RaisesItsFlawLive_AndUndoClearsIt()
    {
        using var tty = new TmuxTerminal("linux", Command($"{_dir}/plan"));
        tty.WaitFor("Disk mapping");
        tty.Send("Enter", "Enter", "Tab", "Enter");
        tty.WaitFor("Mountlist:");
        tty.Send("Enter");
        tty.WaitFor("Edit /dev/md0");
        // The mount point field has the cursor: /mnt/data becomes data, which is not absolute.
        tty.Send("End", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace");
        tty.Type("data");
        tty.Send("Enter");
        var flawed = tty.WaitFor("ERROR:");
        Assert.That(flawed, Does.Contain("data").And.Contain("ERROR: /dev/md0"));
        tty.Send("Tab", "Tab", "Enter"); // Undo all edits
        tty.WaitFor("No problems: the plan can be made.");
    }

    [Test]
    public void EscOnTheFirstPage_AsksThenLeaves_WithNoPlanWritten()
    {
        using var tty = new TmuxTerminal("linux", Command($"{_dir}/plan"));
        tty.WaitFor("Disk mapping");
        tty.Send("Escape");
        tty.WaitFor("Leave without restoring? No disk has been touched.");
        tty.Send("Enter");
        Assert.That(tty.ExitCode(), Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(tty.Screen(), Does.Contain("left without saving a plan; nothing was written to any disk"));
        Assert.That(Directory.Exists($"{_dir}/plan"), Is.False);
    }

    [Test]
    public void Sigterm_EndsTheScreens_AndLeavesTheTerminalAsItWas()
    {
        var script = Path.Combine(_dir, "sigterm.sh");
        File.WriteAllText(script, $"""
            stty -a > {_dir}/before
            ( sleep 4; pkill -TERM -f 'restore --mode interactive --dry-run' ) &
            {Command($"{_dir}/plan")}
            code=$?
            stty -a > {_dir}/after
            exit $code
            """);
        using var tty = new TmuxTerminal("linux", $"sh {script}");
        tty.WaitFor("Disk mapping");
        Assert.That(tty.ExitCode(), Is.EqualTo(ExitCodes.Cancelled), tty.Screen());
        Assert.That(File.ReadAllText($"{_dir}/after"), Is.EqualTo(File.ReadAllText($"{_dir}/before")));
        Assert.That(Directory.Exists($"{_dir}/plan"), Is.False);
    }

    [Test]
    public void WithoutATerminal_TheProposedPlanIsShownPlain()
    {
        var r = Rescuekit.Run("restore", "--mode", "interactive", "--dry-run", "--layout", Raid1Layout, "--disks", $"{_dir}/disks.json",
            "--out", $"{_dir}/plan", "--map", "/dev/vda=/dev/sda", "--map", "/dev/vdb=/dev/sdb");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Stderr);
        Assert.That(r.Stdout, Does.Contain("Note: the interactive screens need a terminal, but standard input is not a terminal"));
        Assert.That(File.Exists($"{_dir}/plan/restore-plan.json"), Is.True);
    }

    [Test]
    public void InteractiveRestoreWithoutATerminal_IsRefusedBeforeTheBackupIsOpened()
    {
        var r = Rescuekit.Run("restore", "--mode", "interactive", "--backup", Path.Combine(_dir, "no-such-backup"));
        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "the interactive mode needs a terminal, but standard input is not a terminal",
            "--mode nuke");
    }
}
