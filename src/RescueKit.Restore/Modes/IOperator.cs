using RescueKit.Core.Restore;
using RescueKit.Restore.Execution;

namespace RescueKit.Restore.Modes;

/// <summary>The person at the console, as nuke needs them: a chance to stop before the first write, a decision
/// when a step fails, a secret, a medium put in. The plain console and the terminal UI each implement it; tests script it.</summary>
public interface IOperator
{
    /// <summary>Counts down <paramref name="seconds"/>, returning false as soon as any key is pressed.</summary>
    bool CountdownCompletes(int seconds);

    /// <summary>What to do about the failed step.</summary>
    StepDecision Decide(StepFailedException failure);

    /// <summary>Asks for a secret (a LUKS passphrase) without echoing it; null when there is no one to ask.</summary>
    string? AskSecret(string prompt);

    /// <summary>Asks for a medium to be put in (<paramref name="prompt"/> says which and where: a disc of a series and
    /// its drive) and returns once the person says it is in; false when there is no one to ask or they gave up. The
    /// caller checks what was put in and asks again when it is the wrong one.</summary>
    bool AskForMedium(string prompt);
}

public enum StepDecision { Retry, Skip, Shell, Abort }
