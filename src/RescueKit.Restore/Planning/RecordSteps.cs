using RescueKit.Core.Layout;
using RescueKit.Core.Restore;

namespace RescueKit.Restore.Planning;

/// <summary>
/// The restore's own records kept in the restored system, in /var/log/rescuekit/ of its root: the plan
/// (restore-plan.json, restore-plan.sh) and the restore's log from the marker directory, and init's log of the rescue
/// boot, so the restored machine says how it was made. Last before the unmounts; a file not there (a plan run by hand
/// leaves no restore.log) is skipped.
/// </summary>
internal static class RecordSteps
{
    public const string StepId = "keep-records";

    /// <summary>restore-plan.sh, as nuke writes it beside the plan.</summary>
    public const string PlanScriptFile = "restore-plan.sh";

    /// <summary>Every line nuke printed.</summary>
    public const string LogFile = "restore.log";

    /// <summary>The marker directory's files the step copies.</summary>
    public static readonly string[] Files = [Execution.PlanExecutor.PlanFile, PlanScriptFile, LogFile];

    private const string CopyScript = """
        set -eu
        dest=$1/var/log/rescuekit
        shift
        mkdir -p "$dest"
        for f in "$@"; do
            if [ -e "$f" ]; then cp "$f" "$dest/"; fi
        done
        """;

    /// <returns>The step's id, or null when the plan restores no / to hold /var/log.</returns>
    public static string? Add(PlanBuilder plan, IReadOnlyList<FilesystemMount> mounted, RestorePlanOptions options, IReadOnlyList<string> after)
    {
        if (mounted.All(m => m.MountPoint != "/")) return null;
        plan.Add(StepId, RestoreStepKinds.Directory,
            $"the plan and the logs of this restore kept in {options.TargetRoot.TrimEnd('/')}/var/log/rescuekit",
            ["sh", "-c", CopyScript, "rk-keep-records", options.TargetRoot, .. Files.Select(f => $"{options.RecordDirectory.TrimEnd('/')}/{f}"), Core.RescuePaths.InitLog],
            reads: [], makes: [], writes: [], after: after);
        return StepId;
    }
}
