using RescueKit.Core.Backup;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Execution;

/// <summary>
/// Before a resume writes again: every target disk of the started plan is still here, the same size, and still one a
/// restore may write. After a reboot of the rescue system disk names can move (sda and sdb swapped), and a resume
/// that trusted the names would write the wrong disk.
/// </summary>
internal static class ResumeCheck
{
    /// <summary>What does not match, one line each; empty when the plan may go on.</summary>
    public static List<string> Problems(RestorePlan plan, IReadOnlyList<TargetDisk> targets)
    {
        var problems = new List<string>();
        foreach (var disk in plan.Disks)
        {
            var here = targets.FirstOrDefault(t => t.Path == disk.Target);
            if (here is null) problems.Add($"{disk.Target} (for {disk.Source}) is not on this machine any more");
            else if (here.Size != disk.TargetSize)
                problems.Add($"{disk.Target} is {ByteSize.Format(here.Size)} now, but the plan was made for a disk of {ByteSize.Format(disk.TargetSize)} there: the disks have changed names");
            else if (here.Refused is { } why) problems.Add($"{disk.Target} must not be written now: {why}");
        }
        return problems;
    }
}
