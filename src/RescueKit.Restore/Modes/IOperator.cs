using RescueKit.Core.Restore;
using RescueKit.Restore.Execution;

namespace RescueKit.Restore.Modes;

/// <summary>The person at the console, as nuke needs them: a chance to stop before the first write, and a decision
/// when a step fails. The plain console and the terminal UI each implement it; tests script it.</summary>
public interface IOperator
{
    /// <summary>Counts down <paramref name="seconds"/>, returning false as soon as any key is pressed.</summary>
    bool CountdownCompletes(int seconds);

    /// <summary>What to do about the failed step.</summary>
    StepDecision Decide(StepFailedException failure);

    /// <summary>Asks for a secret (a LUKS passphrase) without echoing it; null when there is no one to ask.</summary>
    string? AskSecret(string prompt);
}

public enum StepDecision { Retry, Skip, Shell, Abort }
