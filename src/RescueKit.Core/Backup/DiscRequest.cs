using System.Globalization;
using System.Text.RegularExpressions;

namespace RescueKit.Core.Backup;

/// <summary>
/// The line `rescuekit extract --discs` prints on stdout when the next chunk is on a disc that is not in its drive; it
/// then waits until that disc is mounted there. Nuke's executor reads the line, asks the person for the disc and mounts
/// it; run by hand (restore-plan.sh), the line tells a person what to insert and mount.
/// </summary>
public static partial class DiscRequest
{
    public static string Line(int volume, int volumes, string backup, string drive, string directory) =>
        $"rescuekit: waiting for disc {volume} of {volumes} of backup {backup} in {drive}, mounted on {Path.GetDirectoryName(directory)}";

    /// <summary>The disc a line asks for, or null when it is another line.</summary>
    public static int? Parse(string line) =>
        Pattern().Match(line) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^rescuekit: waiting for disc (\d{1,6}) of \d+ of backup ")]
    private static partial Regex Pattern();
}
