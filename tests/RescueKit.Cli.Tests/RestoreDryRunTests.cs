using RescueKit.Core;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `rescuekit restore --dry-run` as a person runs it to review a plan on any machine: the lab's raid1 layout
/// (tests/RescueKit.Restore.Tests/Fixtures) onto target machines given as lsblk output. A good plan is shown and written;
/// a bad input is one line naming the fix, and no plan file is left behind.
/// </summary>
public class RestoreDryRunTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("rk-dryrun-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string Raid1Layout => FixtureLayout("raid1");

    private static string FixtureLayout(string configuration)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "RescueKit.sln"))) dir = dir.Parent;
        return Path.Combine(dir.FullName, "tests", "RescueKit.Restore.Tests", "Fixtures", $"{configuration}-layout.json");
    }

    private string Disks(params string[] namesAndMiB) => DisksFile(_dir, namesAndMiB);

    /// <summary>A --disks file (lsblk -J -b -O output) in <paramref name="directory"/> naming each "NAME MiB" as a blank disk.</summary>
    internal static string DisksFile(string directory, params string[] namesAndMiB)
    {
        var path = Path.Combine(directory, "disks.json");
        File.WriteAllText(path, $$"""{"blockdevices":[{{string.Join(',', namesAndMiB.Select(d => d.Split(' ')).Select(f =>
            $$"""{"name":"{{f[0]}}","path":"/dev/{{f[0]}}","type":"disk","size":{{long.Parse(f[1]) << 20}}}"""))}}]}""");
        return path;
    }

    private Rescuekit.Result DryRun(string disks, params string[] more)
        => Rescuekit.Run(["restore", "--dry-run", "--layout", Raid1Layout, "--disks", disks, "--out", Path.Combine(_dir, "plan"), .. more]);

    /// <summary>The notes of the plan written (the console wraps them at its width).</summary>
    private IReadOnlyList<string> Notes() => System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "plan", "restore-plan.json")))
        .RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();

    private IEnumerable<string> PlanFiles() =>
        Directory.Exists(Path.Combine(_dir, "plan")) ? Directory.EnumerateFiles(Path.Combine(_dir, "plan")) : [];

    [Test]
    public void IdenticalDisks_ThePlanIsShownAndWritten()
    {
        var r = DryRun(Disks("vda 128", "vdb 128"));

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Stderr);
        Assert.That(r.Stdout, Does.Contain("/dev/vda (128.0 MiB) -> /dev/vda (128.0 MiB)").And.Contain("raid-md0").And.Contain("nothing was written to any disk"));
        Assert.That(PlanFiles().Select(Path.GetFileName), Is.EquivalentTo(new[] { "restore-plan.json", "restore-plan.sh" }));
        Assert.That(File.GetUnixFileMode(Path.Combine(_dir, "plan", "restore-plan.sh")) & UnixFileMode.UserExecute, Is.Not.EqualTo(UnixFileMode.None));
    }

    [Test]
    public void TwoEqualDisksUnderOtherNames_AreNotGuessed_AndTheMapToGiveIsNamed()
    {
        var r = DryRun(Disks("sda 128", "sdb 128"));

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "/dev/vda fits /dev/sda and /dev/sdb equally well",
            "The disks here: /dev/sda 128.0 MiB, /dev/sdb 128.0 MiB", "--map /dev/vda=/dev/DISK");
        Assert.That(PlanFiles(), Is.Empty);
    }

    [Test]
    public void TwoEqualDisks_Mapped_GiveAPlanOntoThem()
    {
        var r = DryRun(Disks("sda 128", "sdb 128"), "--map", "/dev/vda=/dev/sdb", "--map", "/dev/vdb=/dev/sda");

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Stderr);
        Assert.That(File.ReadAllText(Path.Combine(_dir, "plan", "restore-plan.json")), Does.Contain("\"/dev/sdb1\",\n        \"/dev/sda1\""));
    }

    [Test]
    public void AMappingFile_GivesThePairs_TogetherWithMap_AndItsBadLinesAreNamed()
    {
        var file = Path.Combine(_dir, "mapping.txt");
        File.WriteAllText(file, "# the lab's spare machine\n\n/dev/vda /dev/sdb\n");

        var r = DryRun(Disks("sda 128", "sdb 128"), "--mapping", file, "--map", "/dev/vdb=/dev/sda");

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Stderr);
        Assert.That(File.ReadAllText(Path.Combine(_dir, "plan", "restore-plan.json")), Does.Contain("\"/dev/sdb1\",\n        \"/dev/sda1\""));

        var twice = DryRun(Disks("sda 128", "sdb 128"), "--mapping", file, "--map", "/dev/vda=/dev/sda");
        BadInputTests.AssertOneLineError(twice, ExitCodes.BadInput, "--map names /dev/vda twice");

        File.WriteAllText(file, "/dev/vda=/dev/sdb\n/dev/vdb\n");
        var bad = DryRun(Disks("sda 128", "sdb 128"), "--mapping", file);
        BadInputTests.AssertOneLineError(bad, ExitCodes.BadInput, $"--mapping {file} line 2 is not SOURCE=TARGET: '/dev/vdb'");
    }

    [Test]
    public void DiskTooSmall_IsRefused_WithWhatItNeeds()
    {
        var r = DryRun(Disks("vda 64", "vdb 128"), "--no-resize");

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "no free disk here holds /dev/vdb (it needs 127.0 MiB) (chosen: /dev/vda -> /dev/vdb)");
        Assert.That(PlanFiles(), Is.Empty);
    }

    [Test]
    public void BiggerDisk_ThePartitionsAreScaled_AndThePlanSaysSo()
    {
        var r = Rescuekit.Run("restore", "--dry-run", "--layout", FixtureLayout("gpt-esp"), "--disks", Disks("sda 1024"), "--out", Path.Combine(_dir, "plan"));

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Stderr);
        Assert.That(r.Stdout, Does.Contain("/dev/vda (256.0 MiB) -> /dev/sda (1.0 GiB)"));
        var plan = File.ReadAllText(Path.Combine(_dir, "plan", "restore-plan.json"));
        Assert.That(Notes(), Has.Some.StartsWith("/dev/sda (for /dev/vda): 256.0 MiB -> 1.0 GiB, partitions 3 and 4 scaled x"));
        Assert.That(plan, Does.Contain("\"resize\": {").And.Contain($"last-lba: {1024 * 2048 - 34}\\n"));
    }

    [Test]
    public void SmallerDisk_IsPlannedWithResizing_AndRefusedWithout()
    {
        var layout = FixtureLayout("gpt-esp");
        var disks = Disks("sda 200");

        var resized = Rescuekit.Run("restore", "--dry-run", "--layout", layout, "--disks", disks, "--out", Path.Combine(_dir, "plan"));
        var kept = Rescuekit.Run("restore", "--dry-run", "--layout", layout, "--disks", disks, "--out", Path.Combine(_dir, "plan2"), "--no-resize");

        Assert.That(resized.ExitCode, Is.EqualTo(ExitCodes.Ok), resized.Stderr);
        Assert.That(Notes(), Has.Some.Contains("whether its data fits cannot be checked"));
        BadInputTests.AssertOneLineError(kept, ExitCodes.BadInput, "no free disk here holds /dev/vda (it needs 255.0 MiB)");
    }

    [Test]
    public void DiskTooSmallEvenResized_IsRefused_AndAGivenOneNamesWhy()
    {
        var layout = FixtureLayout("gpt-esp");

        var automatic = Rescuekit.Run("restore", "--dry-run", "--layout", layout, "--disks", Disks("sda 64"), "--out", Path.Combine(_dir, "plan"));
        var given = Rescuekit.Run("restore", "--dry-run", "--layout", layout, "--disks", Disks("sda 72"), "--out", Path.Combine(_dir, "plan"),
            "--map", "/dev/vda=/dev/sda");

        BadInputTests.AssertOneLineError(automatic, ExitCodes.BadInput, "no free disk here holds /dev/vda (it needs", "--map /dev/vda=/dev/DISK");
        BadInputTests.AssertOneLineError(given, ExitCodes.BadInput, "the ext4 filesystem /mnt/root (/dev/vda3 of the layout) would be",
            "or choose another target disk with --map /dev/vda=/dev/DISK");
        Assert.That(PlanFiles(), Is.Empty);
    }

    [TestCase("/dev/vda", "--map '/dev/vda' is not SOURCE=TARGET")]
    [TestCase("/dev/sdz=/dev/vda", "the mapping names /dev/sdz, which is not a disk of the layout")]
    public void BadMap_IsRefused(string map, string message)
    {
        var r = DryRun(Disks("vda 128", "vdb 128"), "--map", map);

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, message);
        Assert.That(PlanFiles(), Is.Empty);
    }

    [Test]
    public void DisksFileThatIsNotLsblk_IsRefused()
    {
        var path = Path.Combine(_dir, "disks.json");
        File.WriteAllText(path, "vda 128M\n");

        var r = DryRun(path);

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "is not the output of 'lsblk -J -b -O'");
    }

    [Test]
    public void PlanOptionsWithoutDryRun_SayThatTheRestoreDoesNotRunPlansYet()
    {
        var r = Rescuekit.Run("restore", "--layout", Raid1Layout);

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "--layout goes with --dry-run");
    }

    [Test]
    public void WithABackup_ItsLayoutAndItsSetsArePlanned()
    {
        using var scratch = new BackupScratch("64M");
        scratch.Source.Shell("printf 'kept\\n' > marker");
        var backup = BackupScratch.BackupDirectory(scratch.Backup());
        var size = new FileInfo(scratch.Source.Image).Length >> 20;

        var r = Rescuekit.Run("restore", "--dry-run", "--backup", backup, "--disks", Disks($"vdz {size}"), "--out", Path.Combine(_dir, "plan"));

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Stderr);
        var plan = File.ReadAllText(Path.Combine(_dir, "plan", "restore-plan.json"));
        Assert.That(plan, Does.Contain($"\"backup\": \"{backup}\""));
        Assert.That(plan, Does.Contain($"\"--set\",\n        \"{scratch.Source.SetName}\""), "the set is named as the backup names it");
        Assert.That(plan, Does.Contain($"\"{backup}\",\n        \"--set\""), "extract reads the backup given");
        Assert.That(r.Stdout, Does.Contain($"{scratch.Source.Device} (64.0 MiB) -> /dev/vdz (64.0 MiB)"), "the backup's own layout");
    }
}
