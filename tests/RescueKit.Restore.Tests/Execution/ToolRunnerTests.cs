using RescueKit.Core;
using RescueKit.Host;

namespace RescueKit.Restore.Tests.Execution;

/// <summary>What plan execution needs of the one runner: a step's input on stdin, and a time limit.</summary>
public class ToolRunnerTests
{
    private static readonly ToolRunner Runner = new(Serilog.Core.Logger.None);

    [Test]
    public void StandardInput_ReachesTheProgram()
    {
        var r = Runner.Run(["sh", "-c", "cat; echo end"], standardInput: "label: gpt\n");

        Assert.That(r.StandardOutput, Is.EqualTo("label: gpt\nend\n"));
    }

    [Test]
    public void LargeInput_WhileTheProgramWritesAsMuch_DoesNotDeadlock()
    {
        var input = new string('x', 4 << 20) + "\n";

        var r = Runner.Run(["cat"], standardInput: input, timeout: TimeSpan.FromMinutes(1));

        Assert.That(r.StandardOutput, Has.Length.EqualTo(input.Length));
    }

    [Test]
    public void ProgramThatExitsWithoutReadingItsInput_StillReportsItsExitCode()
    {
        var e = Assert.Throws<ToolFailedException>(() => Runner.Run(["sh", "-c", "echo refused >&2; exit 4"], standardInput: new string('y', 1 << 20)))!;

        Assert.That(e.Result.ExitCode, Is.EqualTo(4));
        Assert.That(e.Message, Does.EndWith("exited with code 4: refused"));
    }

    [Test]
    public void StandardOutputLines_ArriveWhileTheProgramRuns_AndTheResultStillHoldsThemAll()
    {
        var seen = new List<(string Line, bool FlagThere)>();
        var flag = Path.Combine(Path.GetTempPath(), $"rk-runner-{Guid.NewGuid():N}");
        try
        {
            // The program waits for a file the callback makes on the first line: it only goes on if that line arrived
            // while it was still running.
            var r = Runner.Run(["sh", "-c", $"echo first; i=0; while [ ! -e {flag} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; echo second"],
                timeout: TimeSpan.FromMinutes(1),
                standardOutputLine: line =>
                {
                    seen.Add((line, File.Exists(flag)));
                    File.WriteAllText(flag, "");
                });

            Assert.That(seen, Is.EqualTo(new[] { ("first", false), ("second", true) }));
            Assert.That(r.StandardOutput, Is.EqualTo("first\nsecond\n"));
        }
        finally
        {
            File.Delete(flag);
        }
    }

    [Test]
    public void RunInteractive_ReturnsTheExitCode_WithTheFixedEnvironmentAndWhatIsAdded()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rk-interactive-{Guid.NewGuid():N}");
        try
        {
            var code = new ToolRunner(Serilog.Core.Logger.None).RunInteractive(
                ["sh", "-c", $"echo \"$PATH $EXTRA\" > {file}; exit 3"], new Dictionary<string, string> { ["EXTRA"] = "added" });

            Assert.That(code, Is.EqualTo(3), "a non-zero exit is returned, not thrown");
            Assert.That(File.ReadAllText(file).Trim(), Is.EqualTo($"{ToolRunner.SearchPath} added"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Timeout_StopsTheProgram_AndSaysSo()
    {
        var started = DateTime.UtcNow;

        var e = Assert.Throws<ToolTimedOutException>(() => Runner.Run(["sleep", "30"], timeout: TimeSpan.FromMilliseconds(300)))!;

        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(20)));
        Assert.That(e.Message, Is.EqualTo("'sleep 30' did not finish in 0.3 s and was stopped"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.Failed));
    }
}
