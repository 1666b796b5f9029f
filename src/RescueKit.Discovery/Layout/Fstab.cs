using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>Parses /etc/fstab (fstab(5)): comments and blank lines skipped, octal escapes undone, freq and passno default 0.</summary>
internal static class Fstab
{
    public const string EtcPath = "/etc/fstab";

    public static IReadOnlyList<FstabEntry> Parse(string text)
    {
        var entries = new List<FstabEntry>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 3 || (f.Length > 4 && !int.TryParse(f[4], out _)) || (f.Length > 5 && !int.TryParse(f[5], out _)))
                throw new InvalidDataException($"/etc/fstab line {lineNumber} is not 'spec file vfstype [options [freq [passno]]]': '{line}'");
            entries.Add(new FstabEntry(MountInfo.Unescape(f[0]), MountInfo.Unescape(f[1]), f[2],
                f.Length > 3 ? f[3] : "defaults", f.Length > 4 ? int.Parse(f[4]) : 0, f.Length > 5 ? int.Parse(f[5]) : 0));
        }
        return entries;
    }
}
