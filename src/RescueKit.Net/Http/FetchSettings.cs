namespace RescueKit.Net.Http;

/// <summary>How hard <see cref="HttpFetcher"/> tries: attempts per download (the first included), the wait before the
/// second attempt (doubled before each further one), and how long the server may stay silent.</summary>
public sealed record FetchSettings
{
    public int Attempts { get; init; } = 5;
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
