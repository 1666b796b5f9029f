using RescueKit.Core;
using RescueKit.Core.Restore;
using RescueKit.Host;

namespace RescueKit.Restore.Execution;

/// <summary>
/// What can be checked before the first write so that a restore does not stop half way: every program the plan runs is
/// here. (Programs a step runs inside the restored system, after chroot, come with the backup and are not looked for.)
/// </summary>
public static class RestorePreflight
{
    /// <summary>The programs of <paramref name="plan"/> this machine lacks, each with the Debian package that has it.</summary>
    public static IReadOnlyList<(string Program, string Package)> MissingPrograms(RestorePlan plan, IToolRunner runner)
        => plan.Steps.Select(s => s.Argv[0]).Distinct(StringComparer.Ordinal)
            .Where(p => runner.Find(p) is null)
            .Select(p => (p, DebianPackages.For(p)))
            .ToList();
}
