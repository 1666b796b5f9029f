using RescueKit.Core.Restore;
using RescueKit.Restore.Review;

namespace RescueKit.Restore.Modes;

/// <summary>
/// The person of the interactive mode, beyond what nuke asks (<see cref="IOperator"/>): they shape the plan before the
/// pre-flight, and name each disk to be erased before the first write. The terminal UI implements it; tests script it.
/// </summary>
public interface IPlanReviewer
{
    /// <summary>The person edits <paramref name="draft"/> (disk mapping, mountlist, sets); true to restore its plan,
    /// false to stop with nothing written.</summary>
    bool Review(PlanDraft draft);

    /// <summary>After the pre-flight, before the first write: true when the person confirmed every disk of
    /// <paramref name="disks"/> is to be erased.</summary>
    bool ConfirmErase(IReadOnlyList<PlannedDisk> disks);
}
