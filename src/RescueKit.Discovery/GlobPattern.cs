namespace RescueKit.Discovery;

/// <summary>fnmatch(3) without flags, as modules.alias patterns use it: '*' any run, '?' any character,
/// '[...]' a set with ranges and '!' or '^' negation.</summary>
internal static class GlobPattern
{
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
                continue;
            }
            if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
                continue;
            }
            if (starP < 0) return false;
            p = starP + 1;
            t = ++starT;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>Whether the pattern element at <paramref name="p"/> matches <paramref name="c"/>; advances past it when it does.</summary>
    private static bool MatchOne(ReadOnlySpan<char> pattern, ref int p, char c)
    {
        if (pattern[p] == '?') { p++; return true; }
        if (pattern[p] != '[') { if (pattern[p] != c) return false; p++; return true; }

        var i = p + 1;
        var negate = i < pattern.Length && pattern[i] is '!' or '^';
        if (negate) i++;
        var matched = false;
        var first = true;
        for (; i < pattern.Length && (first || pattern[i] != ']'); i++, first = false)
        {
            if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
            {
                matched |= c >= pattern[i] && c <= pattern[i + 2];
                i += 2;
            }
            else matched |= pattern[i] == c;
        }
        if (i >= pattern.Length) { if (pattern[p] != c) return false; p++; return true; } // no closing ']': a literal '['
        if (matched == negate) return false;
        p = i + 1;
        return true;
    }
}
