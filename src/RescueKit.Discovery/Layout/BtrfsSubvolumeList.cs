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

    /// <summary>
    /// The subvolumes with their paths from the top level. Listed through a subvolume mount (subvol=@), btrfs prints
    /// the subvolumes below the mounted one relative to it ("var" for @/var) and the others from the top level;
    /// <paramref name="mountRoot"/> is the mount's root in mountinfo ("/@"), and a subvolume is below the mounted one
    /// when the chain of its parents reaches it.
    /// </summary>
    public static IReadOnlyList<BtrfsSubvolume> FromTopLevel(IReadOnlyList<BtrfsSubvolume> listed, string mountRoot)
    {
        var root = mountRoot.Trim('/');
        if (root.Length == 0 || listed.FirstOrDefault(v => v.Path == root) is not { } mounted) return listed;
        var byId = listed.ToDictionary(v => v.Id);
        bool Below(BtrfsSubvolume v)
        {
            for (var parent = v.ParentId; byId.TryGetValue(parent, out var p); parent = p.ParentId)
                if (p.Id == mounted.Id) return true;
            return false;
        }
        return listed.Select(v => Below(v) ? v with { Path = $"{root}/{v.Path}" } : v).ToArray();
    }

    /// <summary>The id `btrfs subvolume get-default` prints: "ID 5 (FS_TREE)" or "ID 256 gen 7 top level 5 path @".</summary>
    public static long ParseDefault(string text)
    {
        var m = DefaultLine().Match(text.Trim());
        if (!m.Success) throw new InvalidDataException($"btrfs subvolume get-default printed '{text.Trim()}', not 'ID n ...'");
        return long.Parse(m.Groups["id"].Value);
    }

    [GeneratedRegex(@"^ID (?<id>\d+)( |$)")]
    private static partial Regex DefaultLine();

    [GeneratedRegex(@"^ID (?<id>\d+) gen \d+ (?:cgen \d+ )?parent (?<parent>\d+) top level \d+ (?:parent_uuid \S+ )?(?:uuid \S+ )?path (?<path>.*)$")]
    private static partial Regex Line();
}
