using RescueKit.Core;
using RescueKit.Core.Restore;
using RescueKit.Host;

namespace RescueKit.Restore.Execution;

/// <summary>A step of the plan failed; the steps before it are marked done, so a resume starts with this one.</summary>
public sealed class StepFailedException(RestoreStep step, RescueKitException cause)
    : RescueKitException($"restore step {step.Id} ({step.Purpose}) failed: {cause.Message}", cause.ExitCode, cause)
{
    public RestoreStep Step { get; } = step;

    /// <summary>What the command wrote on stderr, when it ran and failed.</summary>
    public string? StandardError { get; } = (cause as ToolFailedException)?.Result.StandardError;
}
