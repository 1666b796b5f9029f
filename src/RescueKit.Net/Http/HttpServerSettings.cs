using System.Net;

namespace RescueKit.Net.Http;

/// <summary>Where an <see cref="HttpServer"/> listens, what it serves, and how long an idle connection is kept.</summary>
public sealed record HttpServerSettings(IPAddress Bind, int Port, string Root)
{
    /// <summary>A second tree served under /backups/ (backup sets), or none.</summary>
    public string? Backups { get; init; }

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
