using System.Globalization;

namespace RescueKit.Core.Backup;

/// <summary>Sizes as a user types them: 1073741824, 64M, 4.7G, 512K, 1T (binary units; an optional trailing B or iB).</summary>
public static class ByteSize
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="what"/> names the option in the error.</summary>
    public static long Parse(string text, string what)
    {
        var t = text.Trim();
        if (t.EndsWith("iB", StringComparison.OrdinalIgnoreCase)) t = t[..^2];
        else if (t.EndsWith('B') || t.EndsWith('b')) t = t[..^1];
        var shift = t.Length == 0 ? 0 : char.ToUpperInvariant(t[^1]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        if (shift > 0) t = t[..^1];
        if (!decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0)
            throw new BadInputException($"{what} '{text}' is not a size: write a positive number with an optional K, M, G or T (e.g. 64M, 4.7G)");
        var bytes = number * (1L << shift);
        if (bytes > long.MaxValue / 2)
            throw new BadInputException($"{what} '{text}' is too large");
        return (long)Math.Floor(bytes);
    }

    /// <summary>A size for people: 1.5 GiB, 12.0 MiB, 512 B.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:F1} {units[unit]}");
    }
}
