using System.Security.Cryptography;
using System.Text;
using RescueKit.Host.Native;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>
/// Compares two trees entry by entry on the native layer (its own recursion, not the archiver's walker): type, mode,
/// owner, mtime to the nanosecond, size, content SHA-256, device numbers, symlink target, every xattr, which paths
/// share an inode, and for sparse files that the copy is sparse too (allocated blocks within 64 KiB of the original).
/// </summary>
internal static class TreeComparer
{
    private const long SparseSlackBlocks = 128; // 64 KiB in 512-byte blocks: extent tree blocks may differ

    public sealed record Node(FileStatus Status, string? LinkTarget, string Xattrs, string? ContentHash);

    /// <summary>Every entry under <paramref name="root"/> by relative path (Latin-1, so any byte maps to one char), the
    /// root as ".".</summary>
    public static Dictionary<string, Node> Scan(string root)
    {
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        using var top = DirectoryHandle.Open(root);
        nodes["."] = Describe(top, "."u8.ToArray());
        ScanDirectory(top, "", nodes);
        return nodes;
    }

    /// <summary>What differs, one line each; <paramref name="leftOnly"/> lists paths expected only on the left.</summary>
    public static List<string> Compare(string left, string right, IReadOnlyCollection<string> leftOnly)
    {
        var a = Scan(left);
        var b = Scan(right);
        var differences = new List<string>();
        foreach (var (path, node) in a)
        {
            if (leftOnly.Contains(path))
            {
                if (b.ContainsKey(path)) differences.Add($"{Show(path)}: expected to be left out, but restored");
                continue;
            }
            if (!b.TryGetValue(path, out var other))
            {
                differences.Add($"{Show(path)}: missing");
                continue;
            }
            differences.AddRange(Differences(path, node, other));
        }
        differences.AddRange(b.Keys.Where(path => !a.ContainsKey(path)).Select(path => $"{Show(path)}: not in the original"));
        differences.AddRange(LinkGroupDifferences(a, b, leftOnly));
        return differences;
    }

    private static IEnumerable<string> Differences(string path, Node x, Node y)
    {
        var s = x.Status;
        var t = y.Status;
        if (s.Kind != t.Kind) yield return $"{Show(path)}: type {s.Kind} vs {t.Kind}";
        if (s.Mode != t.Mode) yield return $"{Show(path)}: mode {Convert.ToString(s.Mode, 8)} vs {Convert.ToString(t.Mode, 8)}";
        if (s.Uid != t.Uid || s.Gid != t.Gid) yield return $"{Show(path)}: owner {s.Uid}:{s.Gid} vs {t.Uid}:{t.Gid}";
        if (s.MtimeNanoseconds != t.MtimeNanoseconds)
            yield return $"{Show(path)}: mtime {s.MtimeNanoseconds} vs {t.MtimeNanoseconds}";
        if (s.Kind != FileKind.Directory && s.Size != t.Size) yield return $"{Show(path)}: size {s.Size} vs {t.Size}";
        if (s.RdevMajor != t.RdevMajor || s.RdevMinor != t.RdevMinor)
            yield return $"{Show(path)}: device {s.RdevMajor},{s.RdevMinor} vs {t.RdevMajor},{t.RdevMinor}";
        if (x.LinkTarget != y.LinkTarget) yield return $"{Show(path)}: link target {Show(x.LinkTarget)} vs {Show(y.LinkTarget)}";
        if (x.Xattrs != y.Xattrs) yield return $"{Show(path)}: xattrs [{x.Xattrs}] vs [{y.Xattrs}]";
        if (x.ContentHash != y.ContentHash) yield return $"{Show(path)}: content differs";
        if (s.Kind == FileKind.Regular && s.Blocks * 512 < s.Size && Math.Abs(s.Blocks - t.Blocks) > SparseSlackBlocks)
            yield return $"{Show(path)}: sparse file has {t.Blocks} blocks allocated, the original {s.Blocks}";
    }

    // Hard-link identity: the groups of paths sharing an inode must be the same groups on both sides.
    private static IEnumerable<string> LinkGroupDifferences(Dictionary<string, Node> a, Dictionary<string, Node> b,
        IReadOnlyCollection<string> leftOnly)
    {
        static HashSet<string> Groups(Dictionary<string, Node> nodes, IReadOnlyCollection<string> skip) =>
            nodes.Where(n => n.Value.Status.Kind != FileKind.Directory && n.Value.Status.Nlink > 1 && !skip.Contains(n.Key))
                .GroupBy(n => n.Value.Status.Inode)
                .Select(g => string.Join(" = ", g.Select(n => Show(n.Key)).Order(StringComparer.Ordinal)))
                .ToHashSet();
        var left = Groups(a, leftOnly);
        var right = Groups(b, leftOnly);
        foreach (var group in left.Except(right)) yield return $"hard links [{group}] not linked the same way";
        foreach (var group in right.Except(left)) yield return $"hard links [{group}] only in the copy";
    }

    private static void ScanDirectory(DirectoryHandle directory, string prefix, Dictionary<string, Node> nodes)
    {
        foreach (var name in directory.ReadNames())
        {
            var path = prefix + Encoding.Latin1.GetString(name);
            var node = Describe(directory, name);
            nodes[path] = node;
            if (node.Status.Kind != FileKind.Directory) continue;
            using var child = directory.OpenDirectory(name);
            ScanDirectory(child, path + "/", nodes);
        }
    }

    private static Node Describe(DirectoryHandle directory, byte[] name)
    {
        var status = directory.Stat(name);
        var xattrs = string.Join(", ", directory.ReadXattrs(name)
            .Select(x => $"{Encoding.Latin1.GetString(x.Name)}={Convert.ToHexString(x.Value)}"));
        string? target = status.Kind == FileKind.Symlink ? Encoding.Latin1.GetString(directory.ReadLink(name)) : null;
        string? hash = null;
        if (status.Kind == FileKind.Regular)
        {
            using var file = directory.OpenFileForReading(name);
            hash = Hash(file);
        }
        return new Node(status, target, xattrs, hash);
    }

    private static string Hash(UnixFd file)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long offset = 0; ;)
        {
            var n = file.Read(buffer, offset);
            if (n == 0) break;
            sha.AppendData(buffer, 0, n);
            offset += n;
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>A Latin-1 key as the UTF-8 text it usually is, for messages.</summary>
    public static string Show(string? path)
        => path is null ? "(none)" : NativeIOException.Display(Encoding.Latin1.GetBytes(path));
}
