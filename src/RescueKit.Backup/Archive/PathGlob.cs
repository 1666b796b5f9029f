using System.Text;

namespace RescueKit.Backup.Archive;

/// <summary>
/// A shell-style glob over raw path bytes (see <see cref="ArchiveOptions.Excludes"/>): <c>*</c> matches any run of
/// bytes including '/', <c>?</c> one byte, <c>[...]</c> a set or range (<c>!</c> or <c>^</c> negates), <c>\</c>
/// makes the next byte literal. A trailing '/' in the pattern is ignored, so "/var/cache/" names the directory.
/// </summary>
internal sealed class PathGlob
{
    private readonly byte[] pattern;

    public PathGlob(string pattern)
    {
        var text = pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
        this.pattern = Encoding.UTF8.GetBytes(text.Length == 0 ? "/" : text);
    }

    /// <summary>True when the whole of <paramref name="path"/> matches.</summary>
    public bool Matches(ReadOnlySpan<byte> path)
    {
        // Iterative matching with one backtrack point: the last '*' and where its match ended so far.
        int p = 0, s = 0, starP = -1, starS = 0;
        while (s < path.Length)
        {
            if (p < pattern.Length && pattern[p] == (byte)'*')
            {
                starP = p++;
                starS = s;
                continue;
            }
            if (p < pattern.Length && MatchOne(path[s], ref p)) { s++; continue; }
            if (starP < 0) return false;
            p = starP + 1;
            s = ++starS;
        }
        while (p < pattern.Length && pattern[p] == (byte)'*') p++;
        return p == pattern.Length;
    }

    // Matches one pattern element at p against b; on success p moves past the element.
    private bool MatchOne(byte b, ref int p)
    {
        switch (pattern[p])
        {
            case (byte)'?':
                p++;
                return true;
            case (byte)'[':
                return MatchSet(b, ref p);
            case (byte)'\\' when p + 1 < pattern.Length:
                if (pattern[p + 1] != b) return false;
                p += 2;
                return true;
            default:
                if (pattern[p] != b) return false;
                p++;
                return true;
        }
    }

    private bool MatchSet(byte b, ref int p)
    {
        var i = p + 1;
        var negate = i < pattern.Length && (pattern[i] == (byte)'!' || pattern[i] == (byte)'^');
        if (negate) i++;
        var matched = false;
        var first = true;
        while (i < pattern.Length && (pattern[i] != (byte)']' || first))
        {
            first = false;
            var low = pattern[i];
            if (i + 2 < pattern.Length && pattern[i + 1] == (byte)'-' && pattern[i + 2] != (byte)']')
            {
                matched |= b >= low && b <= pattern[i + 2];
                i += 3;
            }
            else
            {
                matched |= b == low;
                i++;
            }
        }
        // An unclosed '[' is a literal '[', as in the shell.
        if (i >= pattern.Length)
        {
            if (b != (byte)'[') return false;
            p++;
            return true;
        }
        if (matched == negate) return false;
        p = i + 1;
        return true;
    }
}
