namespace RescueKit.Discovery.Layout;

/// <summary>What `blkid -o export` (or `blkid -p -o export`) says about one device: its KEY=value pairs.</summary>
internal sealed class BlkidProbe(IReadOnlyDictionary<string, string> values)
{
    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? this[string key] => Values.TryGetValue(key, out var v) ? v : null;
    public string? DevName => this["DEVNAME"];

    /// <summary>TYPE: ext4, xfs, vfat, swap, crypto_LUKS, linux_raid_member, LVM2_member ...</summary>
    public string? Type => this["TYPE"];

    public string? Uuid => this["UUID"];
    public string? Label => this["LABEL"];

    /// <summary>USAGE (low-level probing only): filesystem, raid, crypto, other.</summary>
    public string? Usage => this["USAGE"];
}

/// <summary>Parses `blkid -o export`: one block of KEY=value lines per device, blocks separated by blank lines.</summary>
internal static class BlkidExport
{
    public static IReadOnlyList<BlkidProbe> Parse(string text)
    {
        var probes = new List<BlkidProbe>();
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n').Append(""))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (current.Count > 0) probes.Add(new BlkidProbe(current));
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new InvalidDataException($"blkid export line '{line}' is not KEY=value");
            current[line[..eq]] = Unescape(line[(eq + 1)..]);
        }
        return probes;
    }

    // blkid -o export escapes shell-unsafe characters in values with a backslash (LABEL=my\ disk).
    private static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var chars = new List<char>(value.Length);
        for (var i = 0; i < value.Length; i++)
            chars.Add(value[i] == '\\' && i + 1 < value.Length ? value[++i] : value[i]);
        return new string(chars.ToArray());
    }
}
