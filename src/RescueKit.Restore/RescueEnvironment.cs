using RescueKit.Core;

namespace RescueKit.Restore;

/// <summary>
/// What the rescue system's init left for the front-end: the files under /etc/rescuekit written at build time and the
/// key=value state under /run/rescuekit written by the stages. A root other than "/" lets tests stage a fake one, and
/// <paramref name="efivars"/> an efivarfs directory of their own (the Secure Boot state) with the rest of "/" as it is.
/// </summary>
public sealed class RescueEnvironment(string root = "/", string? efivars = null)
{
    public string Root { get; } = root;

    /// <summary>The efivarfs directory to read instead of the root's; null: the root's.</summary>
    public string? Efivars { get; } = efivars;

    public string ToolsList => RescuePaths.Under(Root, RescuePaths.ToolsList);
    public string RescueConf => RescuePaths.Under(Root, RescuePaths.RescueConf);
    public string RunDirectory => RescuePaths.Under(Root, RescuePaths.RunDirectory);

    /// <summary>
    /// Exists while init's 20-modules still loads the drivers kept on the medium in the background: until it is gone,
    /// disks behind those drivers may be missing.
    /// </summary>
    public string DevicesPending => RescuePaths.Under(Root, RescuePaths.DevicesPending);

    /// <summary>
    /// Returns true once <see cref="DevicesPending"/> is gone (at once when it never existed), false when it still
    /// exists after <paramref name="limit"/>.
    /// </summary>
    public bool WaitForDevices(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (File.Exists(DevicesPending))
        {
            if (DateTime.UtcNow >= deadline) return false;
            Thread.Sleep(100);
        }
        return true;
    }

    /// <summary>True inside a booted rescue system (its build-time configuration is present).</summary>
    public bool IsRescueSystem => File.Exists(RescueConf);

    /// <summary>Every KEY=VALUE of rescue.conf and the *.env files init wrote, later files winning.</summary>
    public IReadOnlyDictionary<string, string> Variables()
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<string> { RescueConf };
        if (Directory.Exists(RunDirectory)) files.AddRange(Directory.EnumerateFiles(RunDirectory, "*.env").Order(StringComparer.Ordinal));
        foreach (var file in files.Where(File.Exists))
        {
            foreach (var raw in File.ReadLines(file))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..];
                var eq = line.IndexOf('=');
                if (eq <= 0) continue;
                vars[line[..eq]] = Unquote(line[(eq + 1)..]);
            }
        }
        return vars;
    }

    /// <summary>The tools the medium was built with: name → path inside the rescue system.</summary>
    public IReadOnlyList<(string Name, string Path)> Tools()
    {
        if (!File.Exists(ToolsList)) return [];
        return File.ReadLines(ToolsList)
            .Select(l => l.Trim().Split(' ', 2))
            .Where(p => p.Length == 2)
            .Select(p => (p[0], p[1]))
            .ToList();
    }

    private static string Unquote(string v)
        => v.Length >= 2 && (v[0] == '\'' || v[0] == '"') && v[^1] == v[0] ? v[1..^1] : v;
}
