using System.Text;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// File identifiers of the two directory trees: ISO level-1 8.3 names (ECMA-119 7.5, 9.3 ordering) and Joliet
/// UCS-2 names (formats.md §4, §6). Rock Ridge NM carries the real name, so these only need to be unique and valid.
/// </summary>
internal static class IsoNames
{
    public const int Level1NameLength = 8;
    public const int Level1ExtensionLength = 3;
    public const int JolietMaxLength = 64;

    /// <summary>Assigns level-1 and Joliet names to the children of <paramref name="dir"/>, resolving collisions
    /// in the ordinal order of the real names so the result does not depend on insertion order.</summary>
    public static void AssignChildNames(IsoDirectory dir)
    {
        var isoTaken = new HashSet<string>(StringComparer.Ordinal);
        // Windows compares Joliet names case-insensitively, so keep them unique ignoring case.
        var jolietTaken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in dir.Children.Values)
        {
            var isDir = child is IsoDirectory;
            var (name, ext) = Level1Parts(child.Name, isDir);
            child.IsoName = Uniquify(name, Level1NameLength, n => isDir ? n : $"{n}.{ext};1", isoTaken);
            if (child is IsoDirectory or IsoFile)
            {
                var (jname, jext) = JolietParts(child.Name);
                child.JolietName = Uniquify(jname, JolietMaxLength - jext.Length, n => n + jext, jolietTaken);
            }
        }
    }

    /// <summary>Level-1 name and extension: upper-cased d-characters, name ≤ 8, extension ≤ 3 (directories: no extension).</summary>
    public static (string Name, string Extension) Level1Parts(string name, bool isDirectory)
    {
        var dot = isDirectory ? -1 : name.LastIndexOf('.');
        var stem = dot > 0 ? name[..dot] : name;
        var ext = dot > 0 ? name[(dot + 1)..] : "";
        var mappedStem = MapDChars(stem);
        return (mappedStem.Length == 0 ? "_" : Truncate(mappedStem, Level1NameLength), Truncate(MapDChars(ext), Level1ExtensionLength));
    }

    /// <summary>Joliet name split so a long name keeps its extension when shortened to 64 UCS-2 characters.</summary>
    public static (string Stem, string Extension) JolietParts(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
            sb.Append(c < 0x20 || "*/:;?\\".Contains(c) || char.IsSurrogate(c) ? '_' : c);
        var mapped = sb.ToString();
        var dot = mapped.LastIndexOf('.');
        return dot > 0 && mapped.Length - dot <= 16 ? (mapped[..dot], mapped[dot..]) : (mapped, "");
    }

    /// <summary>
    /// <paramref name="format"/>(stem) if not taken, else the stem's tail replaced by a counter (xorriso style:
    /// "MIXED000.TXT"), trying 000, 001, ... until unique.
    /// </summary>
    private static string Uniquify(string stem, int maxStem, Func<string, string> format, HashSet<string> taken)
    {
        var candidate = format(Truncate(stem, maxStem));
        for (var n = 0; !taken.Add(candidate); n++)
        {
            var digits = n.ToString(n < 1000 ? "D3" : "D");
            candidate = format(Truncate(stem, Math.Max(0, maxStem - digits.Length)) + digits);
        }
        return candidate;
    }

    private static string MapDChars(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.ToUpperInvariant()) sb.Append(IsoEncoding.IsDChar(c) ? c : '_');
        return sb.ToString();
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>ECMA-119 9.3 order of ISO identifiers: name then extension, each padded with spaces, then version descending.</summary>
    public static int CompareIso(string a, string b)
    {
        var (an, ae, av) = SplitIdentifier(a);
        var (bn, be, bv) = SplitIdentifier(b);
        var c = ComparePadded(an, bn);
        if (c == 0) c = ComparePadded(ae, be);
        return c != 0 ? c : bv.CompareTo(av);
    }

    /// <summary>Joliet records use the same padded comparison over UCS-2 code units (formats.md §16.14).</summary>
    public static int CompareJoliet(string a, string b) => ComparePadded(a, b);

    private static (string Name, string Extension, int Version) SplitIdentifier(string id)
    {
        var semi = id.IndexOf(';');
        var version = semi >= 0 && int.TryParse(id.AsSpan(semi + 1), out var v) ? v : 0;
        var body = semi >= 0 ? id[..semi] : id;
        var dot = body.IndexOf('.');
        return dot >= 0 ? (body[..dot], body[(dot + 1)..], version) : (body, "", version);
    }

    private static int ComparePadded(string a, string b)
    {
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var ca = i < a.Length ? a[i] : ' ';
            var cb = i < b.Length ? b[i] : ' ';
            if (ca != cb) return ca.CompareTo(cb);
        }
        return 0;
    }
}
