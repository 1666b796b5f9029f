using System.Diagnostics;
using RescueKit.Core.Backup;

namespace RescueKit.Cli.Commands;

/// <summary>
/// `extract --progress`: a plain line at most every <see cref="Interval"/> (and one at the end) with the share of the
/// set's stored bytes read, the rate and the time left, for whoever runs extract as a step and shows its output line
/// by line (nuke, over a serial console): "root: 312.0 MiB of 650.2 MiB (48 %), 41.3 MiB/s, 8 s left".
/// </summary>
internal sealed class ProgressLines(string setName)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly long _started = Stopwatch.GetTimestamp();
    private TimeSpan _last = TimeSpan.Zero;

    public void Report(long read, long total)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var done = read >= total;
        if (!done && elapsed - _last < Interval) return;
        _last = elapsed;
        var rate = elapsed.TotalSeconds > 0 ? read / elapsed.TotalSeconds : 0;
        var left = rate > 0 && !done ? $", {(total - read) / rate:0} s left" : "";
        var share = total > 0 ? read * 100 / total : 100;
        Console.WriteLine($"{setName}: {ByteSize.Format(read)} of {ByteSize.Format(total)} ({share} %), {ByteSize.Format((long)rate)}/s{left}");
    }
}
