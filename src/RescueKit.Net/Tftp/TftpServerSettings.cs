using System.Net;
using RescueKit.Host.Native;

namespace RescueKit.Net.Tftp;

/// <summary>How a <see cref="TftpServer"/> listens and how patient it is.</summary>
public sealed record TftpServerSettings(IPAddress Bind, int Port)
{
    /// <summary>Time to wait for an ACK before sending the window again (a client's RFC 2349 timeout overrides it).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times one window is sent again before the transfer is given up.</summary>
    public int Retries { get; init; } = 5;

    public int MaxBlockSize { get; init; } = TftpOptions.MaxBlockSize;

    /// <summary>The largest window granted; 64 blocks of 1468 bytes fit a default socket buffer.</summary>
    public int MaxWindowSize { get; init; } = 64;

    /// <summary>How a window's packets go out at first; the tests choose a fallback to run it.</summary>
    internal DatagramBatching Batching { get; init; } = DatagramBatching.Segmented;
}
