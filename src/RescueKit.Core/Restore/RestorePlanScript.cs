using System.Text;

namespace RescueKit.Core.Restore;

/// <summary>
/// restore-plan.sh: the plan as a POSIX shell script a person can read, edit and run by hand. Each step is a block with
/// its purpose as a comment, skipped when its marker exists and leaving the marker when it succeeds, as the executor
/// does, so the script and `rescuekit restore --resume` continue each other's work. Each command goes through
/// <c>rk_run</c>, which runs the program found on PATH: the rescue system's busybox sh would otherwise run its own
/// applet of the same name (its mke2fs knows no -t, its umount no -l of util-linux's kind).
/// </summary>
public static class RestorePlanScript
{
    public static string Render(RestorePlan plan, string markerDirectory)
    {
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n");
        sb.Append($"# RescueKit restore plan for {plan.HostName ?? "an unnamed host"}, made by rescuekit {plan.ToolVersion}.\n");
        sb.Append("# Review it before running it: every step below writes to the disks it names.\n");
        foreach (var d in plan.Disks) sb.Append($"#   {d.Source} -> {d.Target}\n");
        foreach (var note in plan.Notes) sb.Append($"# Note: {note}\n");
        sb.Append("set -eu\n");
        sb.Append("# The program of that name on PATH, never a busybox applet standing in for it.\n");
        sb.Append("rk_run() {\n    prog=$1; shift\n    for dir in $(echo \"$PATH\" | tr ':' ' '); do\n");
        sb.Append("        if [ -x \"$dir/$prog\" ]; then \"$dir/$prog\" \"$@\"; return; fi\n    done\n");
        sb.Append("    echo \"restore-plan.sh: $prog is not on PATH ($PATH)\" >&2; return 127\n}\n");
        sb.Append($"markers={Quote(markerDirectory)}\n");
        sb.Append("mkdir -p \"$markers\"\n");
        foreach (var step in plan.Steps)
        {
            sb.Append('\n');
            sb.Append($"# {step.Id}: {step.Purpose}");
            if (step.DependsOn.Count > 0) sb.Append($" (after {string.Join(", ", step.DependsOn)})");
            sb.Append('\n');
            sb.Append($"if [ ! -e \"$markers/{step.Id}.done\" ]; then\n");
            var command = "rk_run " + string.Join(' ', step.Argv.Select(Quote));
            // A warning exit code is "done, with warnings": said, and the script goes on (set -e would stop it).
            if (step.WarningExitCodes.Count > 0)
                command += $" || {{ rc=$?; case $rc in {string.Join('|', step.WarningExitCodes)}) echo \"restore-plan.sh: {step.Id} finished with warnings (exit $rc)\" >&2 ;; *) exit $rc ;; esac; }}";
            if (step.Input is null)
                sb.Append($"    {command}\n");
            else
            {
                var delimiter = "RK_INPUT";
                while (step.Input.Contains(delimiter, StringComparison.Ordinal)) delimiter += "_";
                sb.Append($"    {command} <<'{delimiter}'\n{step.Input}{(step.Input.EndsWith('\n') ? "" : "\n")}{delimiter}\n");
            }
            sb.Append($"    : >\"$markers/{step.Id}.done\"\nfi\n");
        }
        return sb.ToString();
    }

    /// <summary>A word the shell reads back as exactly <paramref name="word"/>: bare when it is plainly safe, else in
    /// single quotes.</summary>
    public static string Quote(string word)
        => word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:,+@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
