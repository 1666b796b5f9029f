using System.Text.RegularExpressions;

namespace RescueKit.Discovery.Layout;

/// <summary>The geometry /proc/mdstat gives an array that mdadm --export leaves out.</summary>
internal sealed record MdStatEntry(string Name, long? ChunkSize, string? Layout);

/// <summary>
/// Parses /proc/mdstat: "md0 : active raid5 vdc1[2] ..." then a status line such as
/// "523264 blocks super 1.2 level 5, 512k chunk, algorithm 2 [3/3] [UUU]" or "... 512K chunks 2 near-copies ...".
/// </summary>
internal static partial class MdStat
{
    public const string ProcPath = "/proc/mdstat";

    public static IReadOnlyDictionary<string, MdStatEntry> Parse(string text)
    {
        var entries = new Dictionary<string, MdStatEntry>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var head = ArrayLine().Match(lines[i]);
            if (!head.Success) continue;
            var level = head.Groups["level"].Value;
            var status = i + 1 < lines.Length ? lines[i + 1] : "";
            var chunk = Chunk().Match(status);
            var algorithm = Algorithm().Match(status);
            var copies = Copies().Match(status);
            string? layout = null;
            if (algorithm.Success) layout = MdadmDetail.LayoutName(level, int.Parse(algorithm.Groups["n"].Value));
            else if (copies.Success) layout = $"{copies.Groups["kind"].Value[0]}{copies.Groups["n"].Value}";
            entries[head.Groups["name"].Value] = new MdStatEntry(head.Groups["name"].Value,
                chunk.Success ? long.Parse(chunk.Groups["kib"].Value) * 1024 : null, layout);
        }
        return entries;
    }

    // "md0 : active raid1 ..." or "md127 : active (auto-read-only) raid5 ..."; inactive arrays have no level.
    [GeneratedRegex(@"^(?<name>md\S*) : active (?:\([^)]*\) )?(?<level>\S+)")]
    private static partial Regex ArrayLine();

    [GeneratedRegex(@"(?<kib>\d+)[kK] chunks?")]
    private static partial Regex Chunk();

    [GeneratedRegex(@"algorithm (?<n>\d+)")]
    private static partial Regex Algorithm();

    [GeneratedRegex(@"(?<n>\d+) (?<kind>near|far|offset)-copies")]
    private static partial Regex Copies();
}
