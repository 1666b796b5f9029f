using System.Text;

namespace RescueKit.Discovery.Layout;

/// <summary>One line of /proc/self/mountinfo (proc(5)), with the kernel's octal escapes undone.</summary>
public sealed record MountInfoEntry(
    int MountId,
    int ParentId,
    int Major,
    int Minor,
    string Root,
    string MountPoint,
    string MountOptions,
    IReadOnlyList<string> OptionalFields,
    string FsType,
    string Source,
    string SuperOptions);

/// <summary>Parses /proc/self/mountinfo.</summary>
public static class MountInfo
{
    public const string ProcPath = "/proc/self/mountinfo";

    /// <summary>
    /// Every mount in <paramref name="text"/>, in the kernel's order (parents before children). A malformed line is an
    /// <see cref="InvalidDataException"/> naming its line number.
    /// </summary>
    public static IReadOnlyList<MountInfoEntry> Parse(string text)
    {
        var entries = new List<MountInfoEntry>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            entries.Add(ParseLine(line) ?? throw new InvalidDataException($"mountinfo line {lineNumber} is malformed: '{line}'"));
        }
        return entries;
    }

    // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    // (1)(2)(3)   (4)   (5)      (6)      (7...)  -  (8)     (9)       (10)
    private static MountInfoEntry? ParseLine(string line)
    {
        var fields = line.Split(' ');
        var separator = Array.IndexOf(fields, "-", 6);
        if (fields.Length < 10 || separator < 0 || fields.Length < separator + 4) return null;
        var device = fields[2].Split(':');
        if (!int.TryParse(fields[0], out var id) || !int.TryParse(fields[1], out var parent) || device.Length != 2 ||
            !int.TryParse(device[0], out var major) || !int.TryParse(device[1], out var minor))
            return null;
        return new MountInfoEntry(id, parent, major, minor,
            Unescape(fields[3]), Unescape(fields[4]), fields[5],
            fields[6..separator].ToArray(),
            Unescape(fields[separator + 1]), Unescape(fields[separator + 2]), fields[separator + 3]);
    }

    /// <summary>Undoes the kernel's \ooo escapes (space, tab, newline, backslash) in a mountinfo, fstab or swaps field.</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var bytes = new List<byte>(field.Length);
        var raw = Encoding.UTF8.GetBytes(field);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 3 < raw.Length && IsOctal(raw[i + 1]) && IsOctal(raw[i + 2]) && IsOctal(raw[i + 3]))
            {
                bytes.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
