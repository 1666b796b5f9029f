using RescueKit.Core;
using RescueKit.Core.Restore;
using RescueKit.Host;
using RescueKit.Restore.Execution;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Tests.Execution;

/// <summary>Plans of shell commands run by the executor through the real runner: markers, a failure's stderr, resume.</summary>
public class PlanExecutorTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("rk-exec-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Log => Path.Combine(_dir, "log");
    private string Markers => Path.Combine(_dir, "markers");

    private static RestoreStep Shell(string id, string script, string? input = null) => new()
    {
        Id = id, Kind = RestoreStepKinds.Wipe, Purpose = $"the {id} step", Argv = ["sh", "-c", script], Input = input,
    };

    /// <summary>Three steps; the second fails until the flag file exists, as a step fails until a person fixes the cause.</summary>
    private RestorePlan Plan() => new()
    {
        ToolVersion = "test", TargetRoot = "/mnt/target",
        Steps =
        [
            Shell("one", $"echo one >> {Log}"),
            Shell("two", $"test -e {_dir}/flag || {{ echo 'mdadm: /dev/vdb1 is busy' >&2; exit 1; }}; cat >> {Log}", input: "two\n"),
            Shell("three", $"echo three >> {Log}"),
        ],
    };

    private PlanExecutor Executor(RecordingProgress? progress = null) => new(new ToolRunner(Serilog.Core.Logger.None), Markers, progress);

    [Test]
    public void FailedStep_StopsThePlan_WithItsStderr_AndLeavesTheEarlierMarkers()
    {
        var e = Assert.Throws<StepFailedException>(() => Executor().Run(Plan()))!;

        Assert.That(e.Step.Id, Is.EqualTo("two"));
        Assert.That(e.StandardError, Does.Contain("mdadm: /dev/vdb1 is busy"));
        Assert.That(e.Message, Does.StartWith("restore step two (the two step) failed: ").And.EndWith("mdadm: /dev/vdb1 is busy"));
        Assert.That(File.ReadAllText(Log), Is.EqualTo("one\n"), "nothing after the failed step ran");
        Assert.That(Executor().Finished(Plan()), Is.EqualTo(new[] { "one" }));
    }

    [Test]
    public void Resume_SkipsWhatIsDone_AndRunsFromTheFailedStep()
    {
        Assert.Throws<StepFailedException>(() => Executor().Run(Plan()));
        File.WriteAllText(Path.Combine(_dir, "flag"), "");
        var progress = new RecordingProgress();

        Executor(progress).Run(Plan());

        Assert.That(File.ReadAllText(Log), Is.EqualTo("one\ntwo\nthree\n"), "step one ran once, step two read its input");
        Assert.That(progress.Events, Is.EqualTo(new[] { "skipped one", "start two", "done two", "start three", "done three" }));
        Assert.That(Executor().Finished(Plan()), Is.EqualTo(new[] { "one", "two", "three" }));
        Assert.That(Executor().StartedPlan(), Is.EqualTo(Plan()).Using<RestorePlan>((a, b) => RestorePlanJson.Serialize(a) == RestorePlanJson.Serialize(b)));
    }

    /// <summary>An extract that skipped a member exits 6: the plan goes on, the warning is kept for the summary, and
    /// the script goes on too; any other non-zero exit of the same step still stops both.</summary>
    [Test]
    public void WarningExitCode_FinishesTheStepWithItsWarning_InTheExecutorAndTheScript()
    {
        RestorePlan WithExit(int code) => new()
        {
            ToolVersion = "test", TargetRoot = "/mnt/target",
            Steps =
            [
                Shell("extract", $"echo extract >> {Log}; echo \"archive member '../x' refused\" >&2; exit {code}") with { WarningExitCodes = [ExitCodes.CompletedWithWarnings] },
                Shell("after", $"echo after >> {Log}"),
            ],
        };
        var progress = new RecordingProgress();
        var executor = Executor(progress);

        executor.Run(WithExit(ExitCodes.CompletedWithWarnings));

        Assert.That(File.ReadAllText(Log), Is.EqualTo("extract\nafter\n"));
        Assert.That(progress.Events, Does.Contain("warned extract: archive member '../x' refused").And.Contain("done after"));
        Assert.That(executor.Warnings.Select(w => w.Step.Id), Is.EqualTo(new[] { "extract" }));

        Directory.Delete(Markers, recursive: true);
        File.Delete(Log);
        var script = Path.Combine(_dir, "restore-plan.sh");
        File.WriteAllText(script, RestorePlanScript.Render(WithExit(ExitCodes.CompletedWithWarnings), Markers));
        var run = RescueKit.Tests.Shared.ExternalTool.Run("sh", "dash", [script]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("restore-plan.sh: extract finished with warnings (exit 6)"));
        Assert.That(File.ReadAllText(Log), Is.EqualTo("extract\nafter\n"));

        Directory.Delete(Markers, recursive: true);
        File.Delete(Log);
        Assert.Throws<StepFailedException>(() => Executor().Run(WithExit(ExitCodes.Failed)));
        File.WriteAllText(script, RestorePlanScript.Render(WithExit(ExitCodes.Failed), Markers));
        Directory.Delete(Markers, recursive: true);
        Assert.That(RescueKit.Tests.Shared.ExternalTool.Run("sh", "dash", [script]).ExitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(File.ReadAllText(Log), Is.EqualTo("extract\nextract\n"), "nothing ran after a real failure");
    }

    [Test]
    public void AStepsOutputLines_ReachTheProgress_InOrder_BeforeItFinishes()
    {
        var progress = new RecordingProgress();
        var plan = new RestorePlan { ToolVersion = "test", TargetRoot = "/mnt/target", Steps = [Shell("extract", "echo '10 %'; echo '20 %'")] };

        Executor(progress).Run(plan);

        Assert.That(progress.Events, Is.EqualTo(new[] { "start extract", "output extract: 10 %", "output extract: 20 %", "done extract" }));
    }

    [Test]
    public void MarkersOfAnotherPlan_AreNotTakenForThisOne()
    {
        Assert.Throws<StepFailedException>(() => Executor().Run(Plan()));
        var other = Plan() with { HostName = "another" };

        var e = Assert.Throws<BadInputException>(() => Executor().Run(other))!;

        Assert.That(e.Message, Does.Contain("holds the markers of another plan"));
        Assert.That(File.ReadAllText(Log), Is.EqualTo("one\n"));
    }

    [Test]
    public void ScriptRendering_AndExecutor_ShareMarkers()
    {
        Assert.Throws<StepFailedException>(() => Executor().Run(Plan()));
        File.WriteAllText(Path.Combine(_dir, "flag"), "");
        var script = Path.Combine(_dir, "restore-plan.sh");
        File.WriteAllText(script, RestorePlanScript.Render(Plan(), Markers));

        RescueKit.Tests.Shared.ExternalTool.RunOk("sh", "dash", [script]);

        Assert.That(File.ReadAllText(Log), Is.EqualTo("one\ntwo\nthree\n"), "the script skipped step one, which the executor had done");
        Assert.That(Executor().Finished(Plan()), Has.Count.EqualTo(3));
    }

    [Test]
    public void ResumeCheck_RefusesDisksThatChangedUnderTheirNames()
    {
        var plan = Plan() with { Disks = [new PlannedDisk("/dev/sda", "/dev/vda", 100, 100), new PlannedDisk("/dev/sdb", "/dev/vdb", 200, 200)] };
        TargetDisk Disk(string path, long size) => new(path, size, null, null, null, null);

        Assert.That(ResumeCheck.Problems(plan, [Disk("/dev/vda", 100), Disk("/dev/vdb", 200)]), Is.Empty);
        Assert.That(ResumeCheck.Problems(plan, [Disk("/dev/vda", 200), Disk("/dev/vdb", 100)]), Has.Count.EqualTo(2)
            .And.Some.Contains("the disks have changed names"));
        Assert.That(ResumeCheck.Problems(plan, [Disk("/dev/vda", 100)]), Is.EqualTo(new[] { "/dev/vdb (for /dev/sdb) is not on this machine any more" }));
    }

    private sealed class RecordingProgress : IRestoreProgress
    {
        public List<string> Events { get; } = [];
        public void Message(string line) => Events.Add($"message {line}");
        public void StepStarting(RestoreStep step, int index, int count) => Events.Add($"start {step.Id}");
        public void StepSkipped(RestoreStep step, int index, int count) => Events.Add($"skipped {step.Id}");
        public void StepFinished(RestoreStep step, int index, int count, TimeSpan elapsed) => Events.Add($"done {step.Id}");
        public void StepOutput(RestoreStep step, string line) => Events.Add($"output {step.Id}: {line}");
        public void StepWarned(RestoreStep step, int index, int count, TimeSpan elapsed, string standardError) =>
            Events.Add($"warned {step.Id}: {standardError.Trim()}");
    }
}
