using RescueKit.Restore.Review;

namespace RescueKit.Restore.Tui;

/// <summary>What the file picker has marked: nodes of the catalog's tree and globs typed in.</summary>
public sealed class FilePicks
{
    public HashSet<int> Nodes { get; } = [];

    public List<string> Globs { get; } = [];

    public int Count => Nodes.Count + Globs.Count;

    /// <summary>The --include globs that restore what is marked.</summary>
    public IReadOnlyList<string> Includes(CatalogTree tree) => [.. Nodes.Order().Select(tree.IncludeOf), .. Globs];

    /// <summary>A line or three on what is marked, for the foot of the page.</summary>
    public string Describe(CatalogTree tree)
    {
        if (Count == 0) return "Nothing marked yet.";
        var shown = Nodes.Order().Take(3).Select(tree.PathOf).Concat(Globs.Take(3)).Take(3).ToList();
        return $"{Count} marked: {string.Join(", ", shown)}{(Count > shown.Count ? ", ..." : "")}";
    }
}
