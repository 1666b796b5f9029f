using System.Net;
using System.Security.Cryptography;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Net.Http;

/// <summary>
/// Downloads over HTTP with the checks a rescue needs: the SHA-256 is computed while the bytes stream in, a dropped
/// connection resumes with a Range request from the byte it reached, and failed attempts are retried a bounded number
/// of times with exponential backoff (<see cref="ResumingHttpStream"/>, <see cref="FetchAttempts"/>, one piece of code
/// for a file downloaded here and a backup chunk streamed straight into a restore). A file is downloaded to a staging file beside it and renamed into place only when its
/// hash matched, so a name never holds a partial or wrong download.
/// </summary>
public sealed class HttpFetcher : IDisposable
{
    private const int BufferSize = 256 * 1024;
    private readonly FetchSettings _settings;
    private readonly ILogger _log;
    private readonly HttpClient _client;

    public HttpFetcher(FetchSettings settings, ILogger log)
    {
        _settings = settings;
        _log = log;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.Timeout,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Only http:// is fetched here; anything else is refused with what to use instead.</summary>
    public static Uri ParseUrl(string text, string name)
    {
        if (text.StartsWith("tftp://", StringComparison.OrdinalIgnoreCase))
            throw new BadInputException($"{name} {text}: fetching over tftp:// is not supported; serve the file over HTTP (rescuekit serve, nginx) and give its http:// URL");
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            throw new BadInputException($"{name} {text}: https:// is not supported: the rescue system carries no CA certificates to check a " +
                "server's certificate with; serve it over plain http:// (rescuekit serve, nginx) on the recovery network, where every file's SHA-256 is still checked");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || string.IsNullOrEmpty(url.Host))
            throw new BadInputException($"{name} {text} is not an http:// URL: give http://HOST[:PORT]/PATH");
        return url;
    }

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="file"/> through <c>FILE.part-PID</c> beside it, checking
    /// its SHA-256 against <paramref name="sha256"/> (lower-case hex) when given. Returns the SHA-256.
    /// </summary>
    public string FetchFile(Uri url, string? sha256, string file, Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(file);
        var staging = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.part-{Environment.ProcessId}");
        try
        {
            string actual;
            using (var stream = new FileStream(staging, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0))
            {
                actual = Download(url, sha256, stream, progress, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(staging, full, overwrite: true);
            return actual;
        }
        catch
        {
            File.Delete(staging);
            throw;
        }
    }

    /// <summary>
    /// Downloads <paramref name="url"/> into <paramref name="destination"/> from its start (it is truncated first),
    /// retrying and resuming as described on the class; a hash mismatch is a <see cref="FetchHashMismatchException"/>.
    /// </summary>
    public string Download(Uri url, string? sha256, FileStream destination, Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        destination.SetLength(0);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var source = new ResumingHttpStream(_client, _settings, _log, url, cancellationToken))
        {
            var buffer = new byte[BufferSize];
            int n;
            while ((n = source.Read(buffer)) > 0)
            {
                destination.Write(buffer, 0, n);
                hash.AppendData(buffer, 0, n);
                progress?.Invoke(destination.Length, source.KnownLength);
            }
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (sha256 is not null && !string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            throw new FetchHashMismatchException(url, sha256.ToLowerInvariant(), actual);
        return actual;
    }

    /// <summary>
    /// The body of <paramref name="url"/> as a read-only stream, read as it arrives (nothing is kept on disk) and
    /// resumed after a dropped connection as described on the class; its Length is the length the server announced.
    /// A 404 is a <see cref="FetchNotFoundException"/>, thrown here.
    /// </summary>
    public Stream Open(Uri url, CancellationToken cancellationToken) =>
        new ResumingHttpStream(_client, _settings, _log, url, cancellationToken);

    /// <summary>The length of <paramref name="url"/>'s body from a HEAD request (retried as any request), or null when
    /// the server has nothing there (404).</summary>
    public long? LengthOf(Uri url, CancellationToken cancellationToken)
    {
        var attempts = new FetchAttempts(url, _settings, _log);
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Head, url);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_settings.Timeout);
                using var response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (response.StatusCode == HttpStatusCode.NotFound) return null;
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} to HEAD", null, response.StatusCode);
                return response.Content.Headers.ContentLength
                    ?? throw new HttpRequestException("the server gave no Content-Length to HEAD");
            }
            catch (Exception e)
            {
                attempts.Failed(e, 0, cancellationToken);
            }
        }
    }

    public void Dispose() => _client.Dispose();
}
