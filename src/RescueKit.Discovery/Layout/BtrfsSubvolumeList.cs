using System.Text.RegularExpressions;
using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>Parses `btrfs subvolume list -p MOUNTPOINT`: "ID 256 gen 7 parent 5 top level 5 path @".</summary>
internal static partial class BtrfsSubvolumeList
{
    public static IReadOnlyList<BtrfsSubvolume> Parse(string text) =>
        text.Split('\n').Where(l => l.Trim().Length > 0).Select(line =>
        {
            var m = Line().Match(line);
            if (!m.Success) throw new InvalidDataException($"btrfs subvolume list printed '{line}', not 'ID n gen n parent n top level n path P'");
            return new BtrfsSubvolume(long.Parse(m.Groups["id"].Value), long.Parse(m.Groups["parent"].Value), m.Groups["path"].Value);
        }).ToArray();

    [GeneratedRegex(@"^ID (?<id>\d+) gen \d+ (?:cgen \d+ )?parent (?<parent>\d+) top level \d+ (?:parent_uuid \S+ )?(?:uuid \S+ )?path (?<path>.*)$")]
    private static partial Regex Line();
}
