namespace RescueKit.Discovery;

/// <summary>
/// The directories /etc/ld.so.conf lists, in order, following "include" lines (globs, relative to the including
/// file's directory) as ldconfig does. This stands in for /etc/ld.so.cache, which is built from the same list.
/// </summary>
internal static class LdSoConf
{
    private const int MaxIncludeDepth = 16;

    public static IReadOnlyList<string> Directories(string root)
    {
        var result = new List<string>();
        Read("/etc/ld.so.conf", root, result, depth: 0);
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    private static void Read(string file, string root, List<string> into, int depth)
    {
        var path = HostPath.Under(root, file);
        if (depth > MaxIncludeDepth || !File.Exists(path)) return;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("include", StringComparison.Ordinal) && line.Length > 7 && char.IsWhiteSpace(line[7]))
            {
                foreach (var pattern in line[8..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                    foreach (var included in Glob(pattern.StartsWith('/') ? pattern : $"{Path.GetDirectoryName(file)}/{pattern}", root))
                        Read(included, root, into, depth + 1);
            }
            else if (line.StartsWith("hwcap", StringComparison.Ordinal) && line.Length > 5 && char.IsWhiteSpace(line[5]))
                continue; // obsolete hwcap lines name no directory
            else
                into.AddRange(line.Split((char[])[' ', '\t', ':', ','], StringSplitOptions.RemoveEmptyEntries).Where(d => d.StartsWith('/')));
        }
    }

    /// <summary>The files matching an absolute glob whose wildcards are in the last component only (what ld.so.conf
    /// files use in practice: /etc/ld.so.conf.d/*.conf), sorted as glob(3) sorts them.</summary>
    private static IEnumerable<string> Glob(string pattern, string root)
    {
        var dir = Path.GetDirectoryName(pattern)!;
        var name = Path.GetFileName(pattern);
        var hostDir = HostPath.Under(root, dir);
        if (!ModuleNames.IsPattern(name)) return File.Exists(HostPath.Under(root, pattern)) ? [pattern] : [];
        if (!Directory.Exists(hostDir)) return [];
        return Directory.EnumerateFiles(hostDir)
            .Select(Path.GetFileName)
            .Where(f => GlobPattern.Matches(name, f!))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{dir}/{f}");
    }
}
