using RescueKit.Core;

namespace RescueKit.Media.BackupMedia;

/// <summary>
/// A backup series cannot be planned on media of the given capacity: the rescue system alone does not fit
/// (<see cref="Chunk"/> null: the media must be larger), or one chunk does not (the chunks must be smaller). Whoever
/// chose the sizes words what to change: the command line names its option.
/// </summary>
public sealed class MediumTooSmallException(string problem, string? chunk)
    : RescueKitException(problem + (chunk is null ? ": use larger media" : ": use smaller chunks"), ExitCodes.BadInput)
{
    /// <summary>What does not fit, without what to do about it.</summary>
    public string Problem { get; } = problem;

    /// <summary>The chunk that does not fit on a medium of its own, or null when the rescue system does not.</summary>
    public string? Chunk { get; } = chunk;
}
