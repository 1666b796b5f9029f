using System.Globalization;
using RescueKit.Core;

namespace RescueKit.Media.BackupMedia;

/// <summary>
/// The capacity of one medium, as disc makers state it: decimal units (a "4.7G" DVD holds 4.7 × 10^9 bytes, not
/// 4.7 GiB, which would overflow it), binary ones when written KiB/MiB/GiB/TiB, or a named disc.
/// </summary>
public static class MediaSize
{
    /// <summary>Exact recordable capacities in 2048-byte sectors (CD-R 80 min, DVD±R, DVD±R DL, BD-R).</summary>
    private static readonly Dictionary<string, long> Discs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cd"] = 360_000L * 2048,
        ["dvd"] = 2_295_104L * 2048,
        ["dvd-dl"] = 4_171_712L * 2048,
        ["bd"] = 12_219_392L * 2048,
    };

    /// <param name="input">What messages call the value: the name the caller asked for it by (mkbackup: --media-size).</param>
    public static long Parse(string text, string input = "media size")
    {
        var t = text.Trim();
        if (Discs.TryGetValue(t, out var disc)) return disc;
        var binary = t.EndsWith("iB", StringComparison.OrdinalIgnoreCase);
        if (binary) t = t[..^2];
        else if (t.EndsWith('B') || t.EndsWith('b')) t = t[..^1];
        var power = t.Length == 0 ? 0 : char.ToUpperInvariant(t[^1]) switch { 'K' => 1, 'M' => 2, 'G' => 3, 'T' => 4, _ => 0 };
        if (power > 0) t = t[..^1];
        if (!decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0
            || (binary && power == 0))
            throw new BadInputException(
                $"{input} '{text}' is not a medium size: write e.g. 4.7G (decimal, as on the disc), 700MiB, or cd, dvd, dvd-dl, bd");
        var bytes = number * (decimal)Math.Pow(binary ? 1024 : 1000, power);
        if (bytes < 1_000_000 || bytes > long.MaxValue / 4)
            throw new BadInputException($"{input} '{text}' is out of range: a medium holds at least 1 MB");
        return (long)Math.Floor(bytes);
    }
}
