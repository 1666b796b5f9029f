using RescueKit.Media;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli;

/// <summary>Build progress as plain log lines: what a serial console, a pipe or a CI log gets.</summary>
internal sealed class LogProgress(ILogger log) : IBuildProgress
{
    public void StepStarted(int index, int count, string title) => log.Information("[{Index}/{Count}] {Title}", index + 1, count, title);

    public void StepFinished(int index, int count, string title, TimeSpan elapsed) =>
        log.Debug("[{Index}/{Count}] {Title}: done in {Seconds:F1} s", index + 1, count, title, elapsed.TotalSeconds);
}

/// <summary>Build progress as a Spectre.Console bar, for a terminal.</summary>
internal sealed class BarProgress(ProgressContext context) : IBuildProgress
{
    private ProgressTask? _task;

    public void StepStarted(int index, int count, string title)
    {
        _task ??= context.AddTask("Building", maxValue: count);
        _task.Description = Markup.Escape(title);
    }

    public void StepFinished(int index, int count, string title, TimeSpan elapsed)
    {
        _task!.Increment(1);
        if (index == count - 1) _task.Description = "Done";
    }
}
