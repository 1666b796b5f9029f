using System.Globalization;
using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Restore.Planning;

/// <summary>
/// The size a person set for a partition or an LV in the mountlist: a size (20G, 512M), a change of the size it had
/// in the backup's layout (+10%, -25%, +2G, -512M), or "rest": what its disk or VG has left once everything else is placed. The
/// planner keeps a set size and resizes the entries that have none around it, in proportion.
/// </summary>
public sealed record SizeRequest
{
    private SizeRequest() { }

    /// <summary>The bytes asked for, when a size was given.</summary>
    public long? Bytes { get; private init; }

    /// <summary>The change of the source size in percent (+10 for "+10%"), when one was given.</summary>
    public decimal? Percent { get; private init; }

    /// <summary>The bytes added to the source size (negative: taken off), when a signed size was given.</summary>
    public long? Delta { get; private init; }

    /// <summary>The entry takes what is left of its disk or VG.</summary>
    public bool Rest { get; private init; }

    public static SizeRequest Of(long bytes) => new() { Bytes = bytes };

    public static SizeRequest TheRest { get; } = new() { Rest = true };

    /// <summary>"20G", "512M", "+10%", "-10%", "+2G", "-512M" or "rest".</summary>
    /// <exception cref="BadInputException">None of those.</exception>
    public static SizeRequest Parse(string text)
    {
        var t = text.Replace(" ", "", StringComparison.Ordinal);
        if (t.Equals("rest", StringComparison.OrdinalIgnoreCase)) return TheRest;
        if (t.EndsWith('%'))
        {
            if ((t.StartsWith('+') || t.StartsWith('-'))
                && decimal.TryParse(t[..^1], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
                && percent > -100)
                return new SizeRequest { Percent = percent };
            throw new BadInputException($"the size '{text}' is not a change in percent: write it with its sign, above -100 (e.g. +10%, -25%)");
        }
        if (t.StartsWith('+') || t.StartsWith('-'))
            return new SizeRequest { Delta = (t[0] == '-' ? -1 : 1) * ByteSize.Parse(t[1..], "the size change") };
        return Of(ByteSize.Parse(t, "the size"));
    }

    /// <summary>The bytes asked for an entry of <paramref name="sourceBytes"/>; null for "rest".</summary>
    public long? BytesFor(long sourceBytes) =>
        Rest ? null : Bytes ?? (Delta is { } delta ? Math.Max(0, sourceBytes + delta) : (long)(sourceBytes * (1 + Percent!.Value / 100)));

    public override string ToString() => Rest ? "rest"
        : Bytes is { } b ? ByteSize.Format(b)
        : Delta is { } d ? (d < 0 ? "-" : "+") + ByteSize.Format(Math.Abs(d))
        : string.Create(CultureInfo.InvariantCulture, $"{(Percent >= 0 ? "+" : "")}{Percent:0.##}%");
}
