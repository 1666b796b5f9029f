using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>
/// Parses `xfs_info DEV`: sections (meta-data, data, naming, log, realtime) of name=value fields, continuation lines
/// starting with "=". The data section's bsize is the block size.
/// </summary>
internal static class XfsInfo
{
    // The mkfs.xfs -m / -i / -f booleans worth recreating, in xfs_info's spelling.
    private static readonly string[] BooleanFeatures = ["crc", "finobt", "sparse", "rmapbt", "reflink", "bigtime", "inobtcount", "nrext64"];

    public static XfsFeatures Parse(string device, string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq < 0) continue;
            var head = line[..eq].Trim();
            var body = line[(eq + 1)..];
            if (head.Length > 0 && !head.Contains(' '))
            {
                // "meta-data=x.fs  isize=512 ...": a new section; its own value is the device or "version 2".
                sections[head] = current = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            if (current is null) continue;
            foreach (var token in body.Replace(",", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var t = token.IndexOf('=');
                if (t > 0) current.TryAdd(token[..t], token[(t + 1)..]);
            }
        }
        if (!sections.TryGetValue("data", out var data) || !data.TryGetValue("bsize", out var bsize) || !int.TryParse(bsize, out var blockSize))
            throw new InvalidDataException($"xfs_info {device} printed no data section with bsize: not an xfs filesystem");
        var meta = sections.GetValueOrDefault("meta-data") ?? [];
        int? Int(string key) => meta.TryGetValue(key, out var v) && int.TryParse(v, out var n) ? n : null;
        return new XfsFeatures
        {
            BlockSize = blockSize,
            SectorSize = Int("sectsz"),
            InodeSize = Int("isize"),
            AgCount = Int("agcount"),
            Features = BooleanFeatures.Where(f => meta.GetValueOrDefault(f) == "1").ToArray(),
        };
    }
}
