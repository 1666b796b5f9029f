using System.Text;

namespace RescueKit.Backup.Archive;

/// <summary>
/// Which members of a set to restore when only some files are wanted (`restore --files-only --include GLOB`): a member
/// is restored when its absolute path on the host (the set's mount point joined with the member's path), or a directory
/// above it, matches one of the globs (<see cref="PathGlob"/>: <c>*</c> also matches '/'), as a matching exclude takes
/// a directory with everything in it. The directories above where a glob can match come back too, so /etc and
/// /etc/ssh keep their own modes and owners when /etc/ssh/*.pub is asked for.
/// </summary>
public sealed class IncludeFilter
{
    private readonly List<PathGlob> _globs;
    private readonly List<byte[]> _prefixes;
    private readonly byte[] _mountPoint;

    public IncludeFilter(IReadOnlyList<string> globs, string mountPoint)
    {
        if (globs.Count == 0) throw new ArgumentException("an include filter needs at least one glob", nameof(globs));
        _globs = globs.Select(g => new PathGlob(g)).ToList();
        _prefixes = globs.Select(g => Encoding.UTF8.GetBytes(LiteralPrefix(g))).ToList();
        _mountPoint = Encoding.UTF8.GetBytes(mountPoint.TrimEnd('/'));
    }

    /// <summary>False when no glob can match anything in the set mounted at <paramref name="mountPoint"/>, so that the
    /// set need not be read at all.</summary>
    public static bool CanMatchUnder(IEnumerable<string> globs, string mountPoint)
    {
        var root = mountPoint.TrimEnd('/') + "/";
        return globs.Select(LiteralPrefix).Any(p => p.StartsWith(root, StringComparison.Ordinal) || root.StartsWith(p, StringComparison.Ordinal));
    }

    /// <summary>Whether the member <paramref name="member"/> (its path relative to the set's root) is restored.</summary>
    public bool Wants(ReadOnlySpan<byte> member, bool isDirectory)
    {
        var path = HostPath(member);
        // The path itself, then each directory above it down to the mount point: "/etc/ssh/x", "/etc/ssh", "/etc".
        for (var end = path.Length; end > 0; end = path.AsSpan(0, end).LastIndexOf((byte)'/'))
            foreach (var glob in _globs)
                if (glob.Matches(path.AsSpan(0, end))) return true;
        if (!isDirectory) return false;
        var asParent = path.Length == 0 ? "/"u8.ToArray() : [.. path, (byte)'/'];
        return _prefixes.Any(p => p.AsSpan().StartsWith(asParent));
    }

    /// <summary>"/home" + "alice/x" → "/home/alice/x"; the set's root itself is its mount point ("" for /).</summary>
    private byte[] HostPath(ReadOnlySpan<byte> member)
    {
        var relative = member;
        while (relative.StartsWith("./"u8)) relative = relative[2..];
        relative = relative.TrimEnd((byte)'/');
        if (relative.IsEmpty || relative.SequenceEqual("."u8)) return _mountPoint;
        return [.. _mountPoint, (byte)'/', .. relative];
    }

    /// <summary>The part of a glob before its first wildcard or escape: every path it matches starts with it.</summary>
    private static string LiteralPrefix(string glob)
    {
        var end = glob.IndexOfAny(['*', '?', '[', '\\']);
        return end < 0 ? glob : glob[..end];
    }
}
