namespace RescueKit.Formats.Fat;

/// <summary>A file or directory the builder will write.</summary>
internal abstract class FatNode(string name, FatDirectoryNode? parent)
{
    public string Name { get; } = name;
    public FatDirectoryNode? Parent { get; } = parent;
}

/// <summary>A directory; children are looked up case-insensitively, as FAT lookups are.</summary>
internal sealed class FatDirectoryNode(string name, FatDirectoryNode? parent) : FatNode(name, parent)
{
    public Dictionary<string, FatNode> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsRoot => Parent is null;

    /// <summary>Children in ordinal name order, so the image does not depend on the order of Add calls.</summary>
    public IEnumerable<FatNode> SortedChildren => Children.Values.OrderBy(c => c.Name, StringComparer.Ordinal);
}

/// <summary>A file whose bytes come from memory or, at write time, from a host path.</summary>
internal sealed class FatFileNode(string name, FatDirectoryNode parent, long length, byte[]? content, string? hostPath)
    : FatNode(name, parent)
{
    public long Length { get; } = length;
    public byte[]? Content { get; } = content;
    public string? HostPath { get; } = hostPath;
}
