using System.Text;
using L = RescueKit.Formats.Fat.FatDirectoryEntryLayout;

namespace RescueKit.Formats.Fat;

/// <summary>
/// Long-name validation, 8.3 short names and the LFN checksum (formats.md §10 "Directory entry" and "LFN";
/// Microsoft FAT spec §6-7).
/// </summary>
internal static class FatNames
{
    /// <summary>Characters allowed in a short name besides A-Z and 0-9.</summary>
    private const string ShortSpecials = "!#$%&'()-@^_`{}~";

    /// <summary>Characters a long name may not contain (besides control characters).</summary>
    private const string LongForbidden = "\"*/:<>?\\|";

    public static bool IsShortNameChar(char c) => c is >= 'A' and <= 'Z' or >= '0' and <= '9' || ShortSpecials.Contains(c);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid long file name.</summary>
    public static void ValidateLongName(string name, string path, string paramName)
    {
        if (name.Length == 0) throw new ArgumentException($"FAT path '{path}' has an empty component.", paramName);
        if (name is "." or "..") throw new ArgumentException($"FAT path '{path}' has a '{name}' component.", paramName);
        if (name.Length > L.MaxLongNameUnits)
            throw new ArgumentException($"FAT name '{name}' is {name.Length} characters; the limit is {L.MaxLongNameUnits}.", paramName);
        foreach (var c in name)
            if (c < 0x20 || LongForbidden.Contains(c))
                throw new ArgumentException($"FAT name '{name}' contains the character U+{(int)c:X4}, which FAT does not allow.", paramName);
        if (name[^1] is '.' or ' ')
            throw new ArgumentException($"FAT name '{name}' ends with '{name[^1]}', which Windows and Linux strip.", paramName);
    }

    /// <summary>
    /// Throws unless <paramref name="label"/> fits BS_VolLab: at most 11 characters, upper-case short-name
    /// characters or spaces (the label is also written as a short-name directory entry).
    /// </summary>
    public static void ValidateLabel(string label, string paramName)
    {
        ArgumentNullException.ThrowIfNull(label, paramName);
        if (label.Length > L.NameLength)
            throw new ArgumentException($"FAT volume label '{label}' is {label.Length} characters; the limit is {L.NameLength}.", paramName);
        foreach (var c in label)
            if (!IsShortNameChar(c) && c != ' ')
                throw new ArgumentException(
                    $"FAT volume label '{label}' contains '{c}'; allowed are A-Z, 0-9, space and {ShortSpecials}.", paramName);
    }

    /// <summary>
    /// True when <paramref name="name"/> is already an 8.3 name whose base and extension are each all upper or all
    /// lower case: then it needs no LFN, and NTRes records the lower-case parts (e.g. grub.cfg → GRUB    CFG, 0x18).
    /// </summary>
    public static bool TryExactShortName(string name, out byte[] name11, out byte ntRes)
    {
        name11 = [];
        ntRes = 0;
        int dot = name.IndexOf('.');
        if (dot != name.LastIndexOf('.')) return false;
        var stem = dot < 0 ? name : name[..dot];
        var ext = dot < 0 ? "" : name[(dot + 1)..];
        if (stem.Length is 0 or > 8 || ext.Length > 3 || (dot >= 0 && ext.Length == 0)) return false;
        if (!TryCase(stem, out bool stemLower) || !TryCase(ext, out bool extLower)) return false;

        name11 = Pad(stem.ToUpperInvariant(), ext.ToUpperInvariant());
        ntRes = (byte)((stemLower ? L.NTResLowerBase : 0) | (extLower ? L.NTResLowerExt : 0));
        return true;
    }

    /// <summary>
    /// The short name for a name that needs an LFN: the Windows basis (upper case, spaces and leading dots removed,
    /// other invalid characters → '_', 8 + 3 characters), then "~N" with the lowest N not in <paramref name="taken"/>.
    /// A basis that lost nothing but case is used without a tail when it is free.
    /// </summary>
    public static byte[] GenerateShortName(string name, ISet<string> taken)
    {
        var upper = name.ToUpperInvariant();
        bool lossy = false;
        var trimmed = upper.TrimStart('.');
        lossy |= trimmed.Length != upper.Length;
        int dot = trimmed.LastIndexOf('.');
        var stem = Clean(dot < 0 ? trimmed : trimmed[..dot], ref lossy);
        var ext = Clean(dot < 0 ? "" : trimmed[(dot + 1)..], ref lossy);
        if (stem.Length > 8) { stem = stem[..8]; lossy = true; }
        if (ext.Length > 3) { ext = ext[..3]; lossy = true; }
        if (stem.Length == 0) { stem = "_"; lossy = true; }

        if (!lossy && taken.Add(Key(Pad(stem, ext)))) return Pad(stem, ext);
        for (int n = 1; ; n++)
        {
            var tail = "~" + n;
            var candidate = Pad(stem[..Math.Min(stem.Length, 8 - tail.Length)] + tail, ext);
            if (taken.Add(Key(candidate))) return candidate;
        }
    }

    /// <summary>The LFN checksum of the 11-byte short name: rotate right by one, then add the next byte.</summary>
    public static byte Checksum(ReadOnlySpan<byte> name11)
    {
        byte sum = 0;
        foreach (var b in name11) sum = (byte)(((sum & 1) << 7) + (sum >> 1) + b);
        return sum;
    }

    public static string Key(byte[] name11) => Encoding.ASCII.GetString(name11);

    /// <summary>The label as 11 space-padded bytes, for BS_VolLab and the root's volume-label entry.</summary>
    public static byte[] LabelBytes(string label) => Encoding.ASCII.GetBytes(label.PadRight(L.NameLength));

    /// <summary>Space-pads stem to 8 and extension to 3, without the dot.</summary>
    public static byte[] Pad(string stem, string ext) => Encoding.ASCII.GetBytes(stem.PadRight(8) + ext.PadRight(3));

    private static bool TryCase(string part, out bool lower)
    {
        bool hasUpper = false, hasLower = false;
        foreach (var c in part)
        {
            if (c is >= 'a' and <= 'z') hasLower = true;
            else if (c is >= 'A' and <= 'Z') hasUpper = true;
            else if (!IsShortNameChar(c)) { lower = false; return false; }
        }
        lower = hasLower;
        return !(hasUpper && hasLower);
    }

    private static string Clean(string part, ref bool lossy)
    {
        var sb = new StringBuilder(part.Length);
        foreach (var c in part)
        {
            if (c is ' ' or '.') { lossy = true; continue; }
            if (IsShortNameChar(c)) sb.Append(c);
            else { sb.Append('_'); lossy = true; }
        }
        return sb.ToString();
    }
}
