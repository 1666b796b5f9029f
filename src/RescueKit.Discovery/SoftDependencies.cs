namespace RescueKit.Discovery;

/// <summary>The modules to load before ("pre:") and after ("post:") a module: soft, because the module works
/// without them but is slower or incomplete (e.g. ext4 wants an accelerated crc32c).</summary>
internal sealed record SoftDependencies(IReadOnlyList<string> Pre, IReadOnlyList<string> Post)
{
    public static readonly SoftDependencies None = new([], []);

    /// <summary>Parses the tokens after "softdep NAME" in modules.softdep, or a module's own softdep= modinfo value.
    /// As in kmod's config parser, names before the first "pre:"/"post:" are ignored.</summary>
    public static SoftDependencies Parse(IEnumerable<string> tokens)
    {
        var pre = new List<string>();
        var post = new List<string>();
        List<string>? into = null;
        foreach (var token in tokens)
        {
            if (token == "pre:") into = pre;
            else if (token == "post:") into = post;
            else into?.Add(token);
        }
        return new SoftDependencies(pre, post);
    }

    public SoftDependencies Merge(SoftDependencies other) =>
        other.Pre.Count + other.Post.Count == 0 ? this : new([.. Pre, .. other.Pre], [.. Post, .. other.Post]);
}
