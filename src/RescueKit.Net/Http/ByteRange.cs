namespace RescueKit.Net.Http;

/// <summary>A single byte range of a Range header (RFC 9110 §14.1.2), resolved against the representation's length.</summary>
internal readonly record struct ByteRange(long First, long Last)
{
    public long Length => Last - First + 1;

    /// <summary>
    /// The range asked for: null when the header is absent, not bytes, or names several ranges (then the whole file is
    /// sent, as §14.2 allows); <paramref name="satisfiable"/> false for a range wholly past the end (416).
    /// </summary>
    public static ByteRange? Parse(string? header, long length, out bool satisfiable)
    {
        satisfiable = true;
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = header[6..].Trim();
        if (spec.Contains(',')) return null;
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var a = spec[..dash].Trim();
        var b = spec[(dash + 1)..].Trim();
        if (a.Length == 0)
        {
            // bytes=-N: the last N bytes.
            if (!long.TryParse(b, out var suffix) || suffix < 0) return null;
            if (suffix == 0 || length == 0) { satisfiable = false; return null; }
            return new ByteRange(Math.Max(0, length - suffix), length - 1);
        }
        if (!long.TryParse(a, out var first) || first < 0) return null;
        long last = length - 1;
        if (b.Length > 0 && (!long.TryParse(b, out last) || last < first)) return null;
        if (first >= length) { satisfiable = false; return null; }
        return new ByteRange(first, Math.Min(last, length - 1));
    }
}
