using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Iso9660;

/// <summary>How the ISO oracle tests read a tool's report.</summary>
internal static class OracleReport
{
    /// <summary>
    /// Stdout then stderr of a run that must exit 0 or with one of <paramref name="allowedExitCodes"/>: xorriso prints
    /// the volume id and the boot record kind with its drive status on stderr.
    /// </summary>
    public static string Report(string program, string debianPackage, IEnumerable<string> args, string? stdinText = null,
        params int[] allowedExitCodes)
    {
        var argv = args.ToList();
        var r = ExternalTool.Run(program, debianPackage, argv, stdinText: stdinText);
        var output = r.Stdout + r.Stderr;
        if (r.ExitCode != 0 && !allowedExitCodes.Contains(r.ExitCode))
            Assert.Fail($"{program} {string.Join(' ', argv)} exited {r.ExitCode}:\n{output}");
        return output;
    }

    /// <summary>Collapses runs of spaces so report lines can be matched without counting columns.</summary>
    public static string Squeeze(string text) => string.Join('\n', text.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
}
