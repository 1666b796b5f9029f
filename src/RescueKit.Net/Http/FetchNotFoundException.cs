using RescueKit.Core;

namespace RescueKit.Net.Http;

/// <summary>The server answered 404: the URL names nothing there. Not retried; a caller that knows what the file is
/// (a backup's manifest, one of its chunks) words it for that.</summary>
public sealed class FetchNotFoundException(Uri url)
    : BadInputException($"{url}: not found on the server (404): check the path and that the server serves the directory holding it")
{
    public Uri Url { get; } = url;
}
