using RescueKit.Core;

namespace RescueKit.Cli.Tests;

/// <summary>
/// The mountlist editor of `rescuekit restore --mode interactive --dry-run` on a pseudo-terminal of 80x24: sizes,
/// RAID levels and LV sizes edited as a person types them, the flaws coming and going, and the plan saved with them.
/// </summary>
[TestFixture]
public sealed class MountlistEditorTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("rk-mountlist-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "RescueKit.sln"))) dir = dir.Parent;
        return Path.Combine(dir.FullName, "tests", "RescueKit.Restore.Tests", "Fixtures", $"{name}-layout.json");
    }

    /// <summary>The interactive dry run of the lab's <paramref name="layout"/> onto blank disks of the sizes given
    /// ("sda 512"), its plan saved in plan/.</summary>
    private TmuxTerminal Start(string layout, params string[] disks)
    {
        File.WriteAllText(Path.Combine(_dir, "disks.json"), $$"""{"blockdevices":[{{string.Join(',', disks.Select(d => d.Split(' ')).Select(f =>
            $$"""{"name":"{{f[0]}}","path":"/dev/{{f[0]}}","type":"disk","size":{{long.Parse(f[1]) << 20}}}"""))}}]}""");
        return new TmuxTerminal("linux",
            $"{Rescuekit.Binary} restore --mode interactive --dry-run --layout {Fixture(layout)} --disks {_dir}/disks.json --out {_dir}/plan");
    }

    /// <summary>The screen's line that holds <paramref name="text"/>, without the window's border.</summary>
    private static string Row(string screen, string text) =>
        screen.Split('\n').Select(l => l.Trim('│', ' ')).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))
        ?? throw new AssertionException($"no line with '{text}' on the screen:\n{screen}");

    /// <summary>The screen's lines joined by spaces: a flaw wrapped onto two lines reads as one.</summary>
    private static string Joined(string screen) => string.Join(' ', screen.Split('\n').Select(l => l.Trim('│', ' ')));

    /// <summary>Moves the list's cursor down to the row that starts with <paramref name="device"/> (and holds
    /// <paramref name="holding"/>) and opens it.</summary>
    private static void Open(TmuxTerminal tty, string screen, string device, string holding = "")
    {
        var rows = screen.Split('\n').Select(l => l.Trim('│', ' ')).ToList();
        var cursor = rows.FindIndex(r => r.StartsWith("> ", StringComparison.Ordinal));
        var at = rows.FindIndex(r => r.TrimStart('>', ' ').StartsWith(device + " ", StringComparison.Ordinal) && r.Contains(holding, StringComparison.Ordinal));
        Assert.That(at, Is.GreaterThanOrEqualTo(cursor).And.GreaterThanOrEqualTo(0), screen);
        for (var i = cursor; i < at; i++) tty.Send("Down");
        tty.Send("Enter");
        tty.WaitFor($"Edit {device}");
    }

    /// <summary>In the entry dialog: the field <paramref name="tabs"/> Tabs down emptied and <paramref name="text"/>
    /// typed into it, then OK.</summary>
    private static void Type(TmuxTerminal tty, int tabs, string text)
    {
        tty.Send([.. Enumerable.Repeat("Tab", tabs), "End", .. Enumerable.Repeat("BSpace", 16)]);
        tty.Type(text);
        tty.Send("Enter");
    }

    private void SaveFromThePreview(TmuxTerminal tty)
    {
        tty.Send("Tab", "Enter"); // Next
        tty.WaitFor("What to restore");
        tty.Send("Tab", "Enter");
        tty.WaitFor("The plan, ");
        tty.Send("Tab", "Enter"); // Save plan and quit
        Assert.That(tty.ExitCode(), Is.EqualTo(ExitCodes.Ok), tty.Screen());
    }

    [Test]
    public void APartitionSize_TooBigIsAFlaw_ThatGoesWhenMadeSmaller_AndThePlanUsesIt()
    {
        using var tty = Start("gpt-esp", "sda 512");
        tty.WaitFor("Disk mapping");
        tty.Send("Tab", "Enter");
        var mountlist = tty.WaitFor("Mountlist:");
        // The proportional resize before and after: the root and the swap grow, BIOS boot and the ESP stay.
        Assert.That(Row(mountlist, "/dev/vda3"), Does.Match(@"/mnt/root +128\.0 MiB -> 30\d\.0 MiB$"));
        Assert.That(Row(mountlist, "/dev/vda2"), Does.EndWith(" 64.0 MiB"));
        Assert.That(mountlist, Does.Contain("No problems: the plan can be made."));

        Open(tty, mountlist, "/dev/vda3");
        Type(tty, 3, "1G"); // the size field, under mount point, type and label
        var flawed = tty.WaitFor("ERROR: /dev/vda3: too big for /dev/sda (512.0 MiB) by 579.0 MiB");
        Assert.That(Row(flawed, "/dev/vda3"), Does.EndWith("128.0 MiB -> 1.0 GiB (set)"));
        Assert.That(flawed, Does.Not.Contain("No problems"));

        tty.Send("Enter");
        tty.WaitFor("Edit /dev/vda3");
        Type(tty, 3, "300M");
        var fixedUp = tty.WaitFor("No problems: the plan can be made.");
        Assert.That(Row(fixedUp, "/dev/vda3"), Does.EndWith("128.0 MiB -> 300.0 MiB (set)"));
        Assert.That(Row(fixedUp, "/dev/vda4"), Does.Match(@"swap +61\.0 MiB -> 14\d\.0 MiB$"), "the swap takes what is left");
        Assert.That(fixedUp, Does.Not.Contain("ERROR"));

        SaveFromThePreview(tty);
        using var plan = System.Text.Json.JsonDocument.Parse(File.ReadAllText($"{_dir}/plan/restore-plan.json"));
        var partition = plan.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "partition-sda");
        Assert.That(Row(partition.GetProperty("input").GetString()!, "/dev/sda3 : "), Does.Contain($", size={300 * 2048},"), "the sfdisk script has the size set");
        Assert.That(partition.GetProperty("purpose").GetString(), Does.Contain("resized 3: 128.0 MiB -> 300.0 MiB"));
    }

    [Test]
    public void AnArraysLevel_IsEdited_AnImpossibleOneRefused_AndThePlanCreatesIt()
    {
        using var tty = Start("raid1", "sda 128", "sdb 128");
        tty.WaitFor("Disk mapping");
        tty.Send("Enter", "Enter", "Tab", "Enter"); // /dev/vda onto /dev/sda, the other proposed
        var mountlist = tty.WaitFor("Mountlist:");
        Assert.That(Row(mountlist, "raid1 of 2"), Does.StartWith("/dev/md0"));

        Open(tty, mountlist, "/dev/md0", "raid1 of 2"); // the array's row; the other /dev/md0 row is its filesystem
        Type(tty, 0, "raid5");
        var refused = tty.WaitFor("Cannot change it");
        Assert.That(refused, Does.Contain("a raid5 array needs at least 3"));
        tty.Send("Enter");
        var unchanged = tty.WaitFor("Mountlist:");
        Assert.That(Row(unchanged, "of 2"), Does.Contain("raid1 of 2"));

        tty.Send("Enter");
        tty.WaitFor("Edit /dev/md0");
        Type(tty, 0, "raid0");
        var raid0 = tty.WaitFor("raid0 of 2");
        Assert.That(Row(raid0, "raid0 of 2"), Does.Match(@"125\.0 MiB -> 2\d\d\.\d MiB$"), "two members' worth");
        Assert.That(raid0, Does.Contain("No problems: the plan can be made."));

        SaveFromThePreview(tty);
        Assert.That(File.ReadAllText($"{_dir}/plan/restore-plan.json"), Does.Contain("\"--level=raid0\""));
    }

    [Test]
    public void AnLvSize_TooBigForItsVg_IsAFlaw_ThenKeptInLvcreate()
    {
        using var tty = Start("lvm", "sda 600", "sdb 600");
        tty.WaitFor("Disk mapping");
        tty.Send("Enter", "Enter", "Tab", "Enter");
        var mountlist = tty.WaitFor("Mountlist:");
        Assert.That(mountlist, Does.Contain("/dev/vg0/pool"), "an LV with no filesystem is listed too");

        Open(tty, mountlist, "/dev/mapper/vg0-root");
        Type(tty, 3, "2G");
        var flawed = tty.WaitFor("ERROR: /dev/vg0/root: the logical volumes of vg0 need");
        Assert.That(Joined(flawed), Does.Contain("too big; make root smaller"));

        tty.Send("Enter");
        tty.WaitFor("Edit /dev/mapper/vg0-root");
        Type(tty, 3, "+36M");
        var fixedUp = tty.WaitFor("No problems: the plan can be made.");
        Assert.That(Row(fixedUp, "/dev/mapper/vg0-root"), Does.EndWith("64.0 MiB -> 100.0 MiB (set)"));

        SaveFromThePreview(tty);
        Assert.That(File.ReadAllText($"{_dir}/plan/restore-plan.json"), Does.Contain($"\"{100 * 1024}k\""));
    }
}
