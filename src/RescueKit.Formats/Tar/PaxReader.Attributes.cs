using System.Globalization;
using System.Text;

namespace RescueKit.Formats.Tar;

// Interprets pax extended header records: numbers, times, xattrs, ACLs and the GNU sparse keywords.
public sealed partial class PaxReader
{
    /// <summary>A member's pax records: its own 'x' records over the global 'g' ones, in first-seen order.</summary>
    private sealed class PaxAttributes(Dictionary<string, byte[]> globals, Dictionary<string, byte[]> local, List<string> order)
    {
        /// <summary>
        /// The value, or null when absent or empty: POSIX pax, "If the value field is zero length, it shall delete
        /// any header block field, previously entered extended header value, or global extended header value of the
        /// same name." (xattr values are read by <see cref="WithPrefix"/>, where empty is a value.)
        /// </summary>
        public byte[]? Get(string keyword)
        {
            var value = local.TryGetValue(keyword, out var v) ? v : globals.TryGetValue(keyword, out var g) ? g : null;
            return value is { Length: 0 } ? null : value;
        }

        /// <summary>A decimal pax value (size, uid, gid, GNU.sparse.*); null when absent.</summary>
        public long? GetNumber(string keyword, string where)
        {
            if (Get(keyword) is not { } value) return null;
            if (!long.TryParse(Encoding.ASCII.GetString(value), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw new InvalidDataException($"{where}: pax {keyword} '{Encoding.UTF8.GetString(value)}' is not a decimal number.");
            return n;
        }

        /// <summary>Keywords starting with <paramref name="prefix"/>: globals first, then the member's own in order.</summary>
        public IEnumerable<(string Keyword, byte[] Value)> WithPrefix(string prefix) =>
            globals.Where(g => g.Key.StartsWith(prefix, StringComparison.Ordinal) && !local.ContainsKey(g.Key)).Select(g => (g.Key, g.Value))
                .Concat(order.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => (k, local[k])));
    }

    /// <summary>pax mtime: "[-]SECONDS[.FRACTION]"; digits of the fraction past nanoseconds are dropped.</summary>
    internal static long ParseTime(byte[] value, string where)
    {
        var text = Encoding.ASCII.GetString(value);
        var negative = text.StartsWith('-');
        var parts = (negative ? text[1..] : text).Split('.');
        if (parts.Length > 2 || parts[0].Length == 0
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (parts.Length == 2 && (parts[1].Length == 0 || !parts[1].All(char.IsAsciiDigit)))
            || seconds > long.MaxValue / 1_000_000_000 - 1)
            throw new InvalidDataException($"{where}: pax mtime '{text}' is not a decimal time.");
        long nanos = parts.Length == 2 ? long.Parse(parts[1].PadRight(9, '0')[..9], CultureInfo.InvariantCulture) : 0;
        var total = seconds * 1_000_000_000 + nanos;
        return negative ? -total : total;
    }

    /// <summary>
    /// SCHILY.xattr.NAME (raw value; %25 and %3D in NAME are GNU tar's escapes of '%' and '='), then
    /// LIBARCHIVE.xattr.NAME (URL-encoded name, base64 value) for names not seen, then SCHILY.acl.access/default turned
    /// into the binary ACL xattr when the archive did not also carry that xattr itself (an access ACL equal to the
    /// mode bits is dropped, see <see cref="PosixAcl.FromText"/>).
    /// </summary>
    private List<TarXattr> ReadXattrs(PaxAttributes pax, string where)
    {
        var xattrs = new List<TarXattr>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyword, value) in pax.WithPrefix(PaxKeywords.SchilyXattrPrefix))
        {
            var name = keyword[PaxKeywords.SchilyXattrPrefix.Length..].Replace("%3D", "=").Replace("%25", "%");
            if (seen.Add(name)) xattrs.Add(new TarXattr(name, value));
        }
        foreach (var (keyword, value) in pax.WithPrefix(PaxKeywords.LibarchiveXattrPrefix))
        {
            var name = Uri.UnescapeDataString(keyword[PaxKeywords.LibarchiveXattrPrefix.Length..]);
            if (seen.Add(name)) xattrs.Add(new TarXattr(name, DecodeBase64(value, keyword, where)));
        }
        foreach (var (xattrName, keyword) in new[] { (PosixAcl.AccessXattr, PaxKeywords.SchilyAclAccess), (PosixAcl.DefaultXattr, PaxKeywords.SchilyAclDefault) })
        {
            if (pax.Get(keyword) is not { } text || seen.Contains(xattrName)) continue;
            var acl = PosixAcl.FromText(Encoding.UTF8.GetString(text), xattrName == PosixAcl.AccessXattr, ResolveAclName, $"{where}, {keyword}");
            if (acl is not null) xattrs.Add(new TarXattr(xattrName, acl));
        }
        return xattrs;
    }

    /// <summary>libarchive writes base64 without the '=' padding.</summary>
    private static byte[] DecodeBase64(byte[] value, string keyword, string where)
    {
        var text = Encoding.ASCII.GetString(value);
        text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{where}: {keyword} is not base64.");
        }
    }

    /// <summary>GNU sparse formats in pax: 1.0 (major 1, minor 0, map in the data) and 0.1 (GNU.sparse.map).</summary>
    private static bool IsSparse(PaxAttributes pax, string where)
    {
        var major = pax.GetNumber(PaxKeywords.GnuSparseMajor, where);
        var minor = pax.GetNumber(PaxKeywords.GnuSparseMinor, where);
        if (major == 1 && minor == 0) return true;
        if (major is not null)
            throw new InvalidDataException($"{where}: GNU sparse format {major}.{minor} is not supported (1.0 and 0.1 are).");
        if (pax.Get(PaxKeywords.GnuSparseMap) is not null) return true;
        if (pax.Get("GNU.sparse.offset") is not null)
            throw new InvalidDataException($"{where}: GNU sparse format 0.0 is not supported (1.0 and 0.1 are).");
        return false;
    }

    /// <summary>GNU sparse 0.1: GNU.sparse.map = "offset,length,offset,length...".</summary>
    private static List<SparseSegment> ParseSparseMap01(byte[] value, string where)
    {
        var numbers = Encoding.ASCII.GetString(value).Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (numbers.Length % 2 != 0) throw new InvalidDataException($"{where}: GNU.sparse.map has an odd number of values.");
        var segments = new List<SparseSegment>();
        for (int i = 0; i < numbers.Length; i += 2)
        {
            if (!long.TryParse(numbers[i], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !long.TryParse(numbers[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                throw new InvalidDataException($"{where}: GNU.sparse.map has a value that is not a number.");
            segments.Add(new SparseSegment(offset, length));
        }
        return segments;
    }

    /// <summary>
    /// The map must be ascending, inside the real size, and its lengths must add up to the stored data. Zero-length
    /// segments (GNU tar ends a file that ends in a hole with one) are dropped: the size says where the file ends.
    /// </summary>
    private List<SparseSegment> ValidateSparseMap(List<SparseSegment> map, long realSize, string where)
    {
        long end = 0, total = 0;
        foreach (var s in map)
        {
            if (s.Offset < end || s.Offset > realSize - s.Length)
                throw new InvalidDataException($"{where}: GNU sparse segment ({s.Offset}, {s.Length}) is out of order or past the size {realSize}.");
            end = s.Offset + s.Length;
            total += s.Length;
        }
        if (total != _remaining)
            throw new InvalidDataException($"{where}: the GNU sparse map covers {total} bytes but the member stores {_remaining}.");
        return map.Where(s => s.Length > 0).ToList();
    }
}
