using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// Everything a restore must give back, as independent tools report it: find(1) for type, mode, owner, size, mtime to
/// the nanosecond, link target and link count; sha256sum for content; getfattr for every xattr (ACLs included) in
/// hex. Two trees are the same when their snapshots are equal.
/// </summary>
internal static class TreeSnapshot
{
    public static IReadOnlyList<string> Of(string root)
    {
        // Directory sizes are the filesystem's business; the root's own entry is the target directory.
        var listing = ExternalTool.RunOk("find", "findutils", [".", "-mindepth", "1", "-printf", "%P\t%y\t%m\t%U:%G\t%s\t%T@\t%l\t%n\n"],
                workingDirectory: root)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t') is var f && f[1] == "d" ? string.Join('\t', f.Take(4).Concat(["-"]).Concat(f.Skip(5))) : line);
        var contents = ExternalTool.RunOk("sh", "dash", ["-c", "find . -type f -print0 | xargs -0 -r sha256sum"], workingDirectory: root)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var xattrs = XattrBlocks(ExternalTool.RunOk("getfattr", "attr", ["-R", "-h", "-d", "-m", "-", "-e", "hex", "."], workingDirectory: root));
        return listing.Concat(contents).Concat(xattrs).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>getfattr's "# file: X" blocks as one line each, so they sort whatever order the walk took.</summary>
    private static IEnumerable<string> XattrBlocks(string dump) =>
        dump.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => string.Join(" | ", block.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
            .Where(block => !block.StartsWith("# file: . |", StringComparison.Ordinal) && block != "# file: .");
}
