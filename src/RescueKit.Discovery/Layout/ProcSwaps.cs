using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>Parses /proc/swaps: a header, then "Filename Type Size Used Priority" with sizes in KiB.</summary>
public static class ProcSwaps
{
    public const string ProcPath = "/proc/swaps";

    public static IReadOnlyList<SwapInfo> Parse(string text)
    {
        var swaps = new List<SwapInfo>();
        foreach (var line in text.Split('\n').Skip(1))
        {
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 0) continue;
            if (f.Length < 5 || !long.TryParse(f[2], out var kib) || !int.TryParse(f[4], out var priority))
                throw new InvalidDataException($"/proc/swaps line '{line}' is not 'Filename Type Size Used Priority'");
            swaps.Add(new SwapInfo { Device = MountInfo.Unescape(f[0]), Kind = f[1], Size = kib * 1024, Priority = priority, Active = true });
        }
        return swaps;
    }
}
