using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>Parses the superblock summary of `dumpe2fs -h DEV` into what mkfs.ext4 needs (-b, -I, -N, -O).</summary>
internal static class Dumpe2fs
{
    // Flags the kernel sets on a live filesystem; mkfs.ext4 -O does not take them.
    private static readonly HashSet<string> RuntimeFlags = new(StringComparer.Ordinal) { "needs_recovery", "orphan_present" };

    public static ExtFeatures Parse(string device, string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) values.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        int Int(string key) => values.TryGetValue(key, out var v) && int.TryParse(v, out var n) ? n
            : throw new InvalidDataException($"dumpe2fs -h {device} printed no '{key}': not an ext2/3/4 superblock");
        long? Long(string key) => values.TryGetValue(key, out var v) && long.TryParse(v, out var n) ? n : null;
        return new ExtFeatures
        {
            BlockSize = Int("Block size"),
            InodeSize = Int("Inode size"),
            InodeCount = Long("Inode count"),
            BlockCount = Long("Block count"),
            Features = (values.GetValueOrDefault("Filesystem features") ?? "")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Where(f => f != "(none)" && !RuntimeFlags.Contains(f)).ToArray(),
        };
    }
}
