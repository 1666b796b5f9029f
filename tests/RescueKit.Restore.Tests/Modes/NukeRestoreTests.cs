using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Host;
using RescueKit.Restore.Execution;
using RescueKit.Core.Restore;
using RescueKit.Restore.Modes;
using RescueKit.Restore.Review;
using RescueKit.Restore.Tests.Planning;

namespace RescueKit.Restore.Tests.Modes;

/// <summary>
/// Nuke over a real backup (written by the backup writer, carrying the lab's raid1 layout) onto a machine whose disks a
/// recording runner describes: nothing touches a disk before the countdown has run out and the backup checked whole;
/// a failure stops the plan and a resume continues it.
/// </summary>
public partial class NukeRestoreTests
{
    private string _dir = null!;
    private string _backup = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("rk-nuke-").FullName;
        _backup = WriteBackup(File.ReadAllText(LayoutFixtureFiles.PathOf("raid1")), "backups");
    }

    /// <summary>A backup of one small set, carrying <paramref name="layoutJson"/>.</summary>
    private string WriteBackup(string layoutJson, string target)
    {
        var source = Directory.CreateDirectory(Path.Combine(_dir, "src")).FullName;
        File.WriteAllText(Path.Combine(source, "hello.txt"), "hello\n");
        return new BackupSetWriter(Serilog.Core.Logger.None).Write(new BackupRequest
        {
            Target = Path.Combine(_dir, target),
            Host = "rklab",
            Started = DateTimeOffset.UtcNow,
            Filesystems = [new SourceFilesystem("data", source, "/dev/md0", "ext4", null)],
            Compression = SetCompression.Choose(SetCompression.Zstd, null),
            ChunkSize = ChunkSizes.Default,
            LayoutJson = layoutJson,
            ToolVersion = "test",
            RecordSize = 64 << 10,
        }, new Quiet(), CancellationToken.None).Directory;
    }

    /// <summary>The raid1 layout with a LUKS2 container on its array.</summary>
    private string LuksBackup()
    {
        var layout = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(LayoutFixtureFiles.PathOf("raid1")))!;
        layout["luks"] = System.Text.Json.Nodes.JsonNode.Parse("""
            [{"device":"/dev/md0","version":2,"uuid":"5c0b5c0b-1111-4222-8333-444455556666","cipher":"aes-xts-plain64","keySize":512,"mappedName":"secret"}]
            """);
        return WriteBackup(layout.ToJsonString(), "luks-backups");
    }

    [Test]
    public void Luks_Unattended_WithoutAPassphrase_StopsBeforeAnyWrite()
    {
        var (nuke, runner, _, _) = Nuke();

        var e = Assert.Throws<LuksPassphraseNeededException>(() =>
            nuke.Run(Request(unattended: true) with { Backup = LuksBackup() }, CancellationToken.None))!;

        Assert.That(e.Message, Does.Contain("5c0b5c0b-1111-4222-8333-444455556666").And.Contain("no disk was touched"));
        Assert.That(runner.Ran.Where(r => !r.StartsWith("lsblk", StringComparison.Ordinal) && !r.StartsWith("zstd", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Luks_ThePassphraseFile_ReachesCryptsetupOnStdin_AndIsInNoFile()
    {
        var file = Path.Combine(_dir, "luks.pass");
        File.WriteAllText(file, "correct horse\nsecond line ignored\n");
        var (nuke, runner, _, _) = Nuke();

        var code = nuke.Run(Request(unattended: true) with { Backup = LuksBackup(), LuksPassphraseFile = file }, CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(runner.Inputs.Where(i => i.Argv.StartsWith("cryptsetup", StringComparison.Ordinal)).Select(i => i.Input),
            Is.EqualTo(new[] { "correct horse\n", "correct horse\n" }), "luksFormat and open");
        foreach (var written in Directory.EnumerateFiles(Path.Combine(_dir, "markers")))
            Assert.That(File.ReadAllText(written), Does.Not.Contain("correct horse"), written);
    }

    [Test]
    public void Luks_Attended_AsksTwice_AndAgainWhenTheyDiffer()
    {
        var (nuke, runner, person, output) = Nuke();
        foreach (var s in new[] { "one", "two", "same", "same" }) person.Secrets.Enqueue(s);

        var code = nuke.Run(Request() with { Backup = LuksBackup() }, CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output.ToString(), Does.Contain("The two passphrases differ"));
        Assert.That(runner.Inputs.Where(i => i.Argv.StartsWith("cryptsetup luksFormat", StringComparison.Ordinal)).Single().Input, Is.EqualTo("same\n"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private (NukeRestore Nuke, RecordingRunner Runner, ScriptedOperator Person, StringWriter Output) Nuke(bool countdownCompletes = true,
        params StepDecision[] decisions) => Nuke(new FakeDrives(Path.Combine(_dir, "drives")), countdownCompletes, decisions);

    private (NukeRestore Nuke, RecordingRunner Runner, ScriptedOperator Person, StringWriter Output) Nuke(FakeDrives drives,
        bool countdownCompletes = true, params StepDecision[] decisions)
    {
        var runner = new RecordingRunner();
        var person = new ScriptedOperator(countdownCompletes, decisions);
        var (console, output) = TestConsoles.Create();
        var rescue = Directory.CreateDirectory(Path.Combine(_dir, "rescue")).FullName;
        var nuke = new NukeRestore(console, runner, new RescueEnvironment(rescue), person, Serilog.Core.Logger.None, "test", () => 0)
        {
            MarkerDirectory = Path.Combine(_dir, "markers"),
            DiscSeriesDirectory = Path.Combine(_dir, "disc-series"),
            Drives = drives,
        };
        return (nuke, runner, person, output);
    }

    private NukeRequest Request(bool unattended = false, bool resume = false, bool noResize = false) =>
        new(_backup, new Dictionary<string, string>(), unattended, resume, NoResize: noResize);

    [TestCase(false)]
    [TestCase(true)]
    public void BiggerDisks_AreFilled_UnlessNoResize(bool noResize)
    {
        var (nuke, runner, _, output) = Nuke();
        runner.DiskMiB = 256;

        // Two equal disks are never guessed: they are given.
        var map = new Dictionary<string, string> { ["/dev/vda"] = "/dev/vda", ["/dev/vdb"] = "/dev/vdb" };
        var code = nuke.Run(Request(unattended: true, noResize: noResize) with { Map = map }, CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        var script = File.ReadAllText(Path.Combine(_dir, "markers", "restore-plan.sh"));
        if (noResize)
        {
            Assert.That(script, Does.Not.Contain("last-lba:").And.Contain("size=258048,"));
            Assert.That(output.ToString(), Does.Contain("the rest of the disk stays free"));
        }
        else
        {
            Assert.That(script, Does.Contain($"last-lba: {256 * 2048 - 34}\n").And.Not.Contain("size=258048,"));
            Assert.That(output.ToString(), Does.Contain("/dev/vda: 128.0 MiB -> 256.0 MiB, partition 1 scaled x"));
        }
    }

    [Test]
    public void DisksTooSmallEvenResized_NothingIsWritten()
    {
        var (nuke, runner, _, _) = Nuke();
        runner.DiskMiB = 8;

        Assert.Throws<RescueKit.Restore.Mapping.DiskMappingIncompleteException>(() => nuke.Run(Request(unattended: true), CancellationToken.None));
        Assert.That(runner.Ran, Is.EqualTo(new[] { "lsblk -J -b -O" }));
    }

    [Test]
    public void AKeyDuringTheCountdown_StopsBeforeAnyWrite()
    {
        var (nuke, runner, _, output) = Nuke(countdownCompletes: false);

        var code = nuke.Run(Request(), CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(runner.Ran, Is.EqualTo(new[] { "lsblk -J -b -O" }), "only the disks were listed");
        Assert.That(output.ToString(), Does.Contain("no disk was touched").And.Contain("everything on it will be erased"));
    }

    [Test]
    public void Unattended_RunsThePlanInOrder_WithoutACountdown()
    {
        var (nuke, runner, person, _) = Nuke();

        var code = nuke.Run(Request(unattended: true), CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(person.Countdowns, Is.Zero);
        Assert.That(runner.Ran[1], Does.StartWith("wipefs --all --force /dev/vda"));
        Assert.That(runner.Ran, Has.Some.StartWith("mdadm --create /dev/md0"));
        Assert.That(runner.Ran.IndexOf(runner.Ran.First(r => r.StartsWith("mdadm"))), Is.GreaterThan(runner.Ran.IndexOf(runner.Ran.First(r => r.StartsWith("sfdisk")))));
        Assert.That(File.Exists(Path.Combine(_dir, "markers", "restore-plan.sh")), "the plan a person can read is kept with the markers");
    }

    [Test]
    public void ADamagedChunk_IsFoundBeforeAnyWrite()
    {
        var chunk = Directory.EnumerateFiles(Path.Combine(_backup, BackupSetNames.SetsDirectory)).First();
        var bytes = File.ReadAllBytes(chunk);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(chunk, bytes);
        var (nuke, runner, person, _) = Nuke();

        var e = Assert.Throws<RescueKitException>(() => nuke.Run(Request(unattended: true), CancellationToken.None))!;

        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(e.Message, Does.Contain("is damaged").And.Contain("no disk was touched"));
        Assert.That(runner.Ran, Is.EqualTo(new[] { "lsblk -J -b -O" }));
    }

    [Test]
    public void AProgramThePlanRunsIsMissing_IsFoundBeforeAnyWrite()
    {
        var (nuke, runner, _, _) = Nuke();
        runner.Missing.Add("mdadm");

        var e = Assert.Throws<MissingPrerequisiteException>(() => nuke.Run(Request(unattended: true), CancellationToken.None))!;

        Assert.That(e.Message, Does.Contain("mdadm").And.Contain("apt-get install mdadm"));
        Assert.That(runner.Ran, Is.EqualTo(new[] { "lsblk -J -b -O" }));
    }

    [Test]
    public void UnattendedFailure_StopsThePlan_AndAResumeContinuesIt()
    {
        var (nuke, runner, _, output) = Nuke();
        runner.Failing = "mdadm";

        var e = Assert.Throws<StepFailedException>(() => nuke.Run(Request(unattended: true), CancellationToken.None))!;

        Assert.That(e.Step.Id, Is.EqualTo("raid-md0"));
        Assert.That(output.ToString(), Does.Contain("mdadm: cannot open /dev/vda1: Device or resource busy"));
        var before = runner.Ran.Count(r => r.StartsWith("sfdisk"));
        runner.Failing = null;

        var code = nuke.Run(Request(unattended: true, resume: true), CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(runner.Ran.Count(r => r.StartsWith("sfdisk")), Is.EqualTo(before), "the partitions were not made twice");
        Assert.That(runner.Ran.Count(r => r.StartsWith("mdadm --create")), Is.EqualTo(2));
    }

    [Test]
    public void Interactive_SkippedStep_IsMarkedAndThePlanGoesOn()
    {
        var (nuke, runner, person, _) = Nuke(true, StepDecision.Skip);
        runner.Failing = "mdadm";

        var code = nuke.Run(Request(), CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(person.Countdowns, Is.EqualTo(1));
        Assert.That(person.Decided, Is.EqualTo(new[] { "raid-md0" }));
        Assert.That(runner.Ran, Has.Some.StartWith("mke2fs"));
    }

    [Test]
    public void Interactive_TheReviewersEditsAreThePlanRun_AndTheirConfirmationReplacesTheCountdown()
    {
        var (nuke, runner, person, _) = Nuke();
        var reviewer = new ScriptedReviewer(confirm: true, draft =>
            draft.Edit(new MountlistChange(draft.Layout.Filesystems.First(f => f.MountPoint is not null).Device) { Type = "xfs" }));

        var code = nuke.Run(Request() with { Reviewer = reviewer }, CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(person.Countdowns, Is.Zero, "the typed confirmation stands in for the countdown");
        Assert.That(reviewer.Confirmed, Is.Not.Empty);
        Assert.That(runner.Ran, Has.Some.StartWith("mkfs.xfs"));
        Assert.That(runner.Ran, Has.None.StartWith("mke2fs"));
    }

    [Test]
    public void Interactive_NoConfirmation_StopsBeforeAnyWrite()
    {
        var (nuke, runner, _, output) = Nuke();

        var code = nuke.Run(Request() with { Reviewer = new ScriptedReviewer(confirm: false, _ => { }) }, CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(runner.Ran, Has.None.StartWith("wipefs").And.None.StartWith("sfdisk"));
        Assert.That(output.ToString(), Does.Contain("no disk was touched"));
    }

    private sealed class ScriptedReviewer(bool confirm, Action<PlanDraft> edit) : IPlanReviewer
    {
        public List<string> Confirmed { get; } = [];

        public bool Review(PlanDraft draft)
        {
            edit(draft);
            return true;
        }

        public bool ConfirmErase(IReadOnlyList<PlannedDisk> disks)
        {
            if (confirm) Confirmed.AddRange(disks.Select(d => d.Target));
            return confirm;
        }
    }

    private sealed class ScriptedOperator(bool countdownCompletes, StepDecision[] decisions) : IOperator
    {
        private int _next;
        public int Countdowns { get; private set; }
        public List<string> Decided { get; } = [];

        public bool CountdownCompletes(int seconds) { Countdowns++; return countdownCompletes; }

        public Queue<string?> Secrets { get; } = new();
        public string? AskSecret(string prompt) => Secrets.Count > 0 ? Secrets.Dequeue() : null;

        /// <summary>What the person does when asked for a disc: puts one in and says so, or gives up (false).</summary>
        public Func<string, bool>? OnMedium { get; set; }
        public List<string> MediumPrompts { get; } = [];

        public bool AskForMedium(string prompt)
        {
            MediumPrompts.Add(prompt);
            return OnMedium?.Invoke(prompt) ?? false;
        }

        public StepDecision Decide(StepFailedException failure)
        {
            Decided.Add(failure.Step.Id);
            return _next < decisions.Length ? decisions[_next++] : StepDecision.Abort;
        }
    }

    /// <summary>A machine with two blank 128 MiB disks on which every program succeeds, but the one told to fail.</summary>
    private sealed class RecordingRunner : IToolRunner
    {
        public List<string> Ran { get; } = [];
        public List<(string Argv, string? Input)> Inputs { get; } = [];
        public HashSet<string> Missing { get; } = [];
        public string? Failing { get; set; }
        public long DiskMiB { get; set; } = 128;

        /// <summary>The line an extract step prints while it waits for a disc, as `rescuekit extract --discs` does.</summary>
        public string? ExtractSays { get; set; }

        public ToolResult Run(IReadOnlyList<string> argv, IReadOnlyCollection<int>? allowedExitCodes = null, string? workingDirectory = null,
            CancellationToken cancellationToken = default, string? standardInput = null, TimeSpan? timeout = null, Action<string>? standardOutputLine = null)
        {
            Ran.Add(string.Join(' ', argv));
            Inputs.Add((string.Join(' ', argv), standardInput));
            if (argv[0] == Failing)
                throw new ToolFailedException(new ToolResult(argv, 1, "", "mdadm: cannot open /dev/vda1: Device or resource busy\n"));
            if (ExtractSays is not null && argv is [_, "extract", ..]) standardOutputLine?.Invoke(ExtractSays);
            var stdout = argv[0] == "lsblk"
                ? $$"""{"blockdevices":[{"name":"vda","path":"/dev/vda","type":"disk","size":{{DiskMiB << 20}}},{"name":"vdb","path":"/dev/vdb","type":"disk","size":{{DiskMiB << 20}}}]}"""
                : "";
            return new ToolResult(argv, 0, stdout, "");
        }

        public string? Find(string program) => Missing.Contains(program) ? null : "/usr/sbin/" + program;
    }

    internal sealed class Quiet : IBackupProgress
    {
        public void SetStarted(SourceFilesystem filesystem, long estimatedBytes) { }
        public void Advanced(long contentBytes, long entries) { }
        public void SetFinished(FilesystemSet set) { }
        public void Warning(string path, string message) { }
    }
}
