using System.Net;

namespace RescueKit.Net;

/// <summary>One finished transfer, for the one log line each gets: who, how, what, how much, how fast, how it ended.</summary>
public sealed record TransferRecord(EndPoint Client, string Protocol, string File, long Bytes, TimeSpan Elapsed, string Result)
{
    /// <summary>Bytes per second over the whole transfer.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Bytes / Elapsed.TotalSeconds : 0;

    public bool Succeeded => Result == "ok";
}
