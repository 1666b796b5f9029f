using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Net.Http;

/// <summary>
/// Downloads over HTTP with the checks a rescue needs: the SHA-256 is computed while the bytes stream in, a dropped
/// connection resumes with a Range request from the byte it reached (a server that answers 200 instead of 206 is
/// read again from the start), and failed attempts are retried a bounded number of times with exponential backoff
/// (<see cref="FetchSettings"/>). A file is downloaded to a staging file beside it and renamed into place only when its
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
        long? total = null;
        var delay = _settings.FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                total = Transfer(url, destination, hash, total, progress, cancellationToken);
                break;
            }
            catch (Exception e) when (Retryable(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _settings.Attempts) throw Failure(url, e, attempt);
                _log.Warning("{Url}: {Error}; attempt {Next} of {Attempts} in {Delay:F1} s, from byte {From}",
                    url, Reason(e), attempt + 1, _settings.Attempts, delay.TotalSeconds, destination.Length);
                if (cancellationToken.WaitHandle.WaitOne(delay)) cancellationToken.ThrowIfCancellationRequested();
                delay *= 2;
            }
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (sha256 is not null && !string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            throw new FetchHashMismatchException(url, sha256.ToLowerInvariant(), actual);
        return actual;
    }

    /// <summary>One request from the byte the destination reached; returns the whole length when the body ended.</summary>
    private long Transfer(Uri url, FileStream destination, IncrementalHash hash, long? total, Action<long, long?>? progress,
        CancellationToken cancellationToken)
    {
        var from = destination.Length;
        if (total is { } known && from == known) return known;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        using var response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new BadInputException($"{url}: not found on the server (404): check the path and that the server serves the directory holding it");
        if (from > 0 && response.StatusCode == HttpStatusCode.OK)
        {
            // The server ignored the range: start over, hash included.
            _log.Warning("{Url}: the server does not resume (200 to a range request); downloading from the start", url);
            destination.SetLength(0);
            hash.GetHashAndReset();
            from = 0;
        }
        else if (from > 0 && response.StatusCode != HttpStatusCode.PartialContent)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} to a range request", null, response.StatusCode);
        else if (from == 0 && response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        if (from > 0 && response.Content.Headers.ContentRange is { } range && range.From != from)
            throw new HttpRequestException($"the server resumed at byte {range.From}, not {from}");
        var length = response.Content.Headers.ContentLength is { } body ? from + body : (long?)null;
        total = response.Content.Headers.ContentRange?.Length ?? length ?? total;
        destination.Seek(from, SeekOrigin.Begin);
        using var source = response.Content.ReadAsStream(timeout.Token);
        var buffer = new byte[BufferSize];
        while (true)
        {
            // The timeout is per read: a slow but moving download is not cut off.
            timeout.CancelAfter(_settings.Timeout);
            var n = source.Read(buffer);
            if (n == 0) break;
            destination.Write(buffer, 0, n);
            hash.AppendData(buffer, 0, n);
            progress?.Invoke(destination.Length, total);
        }
        if (total is { } whole && destination.Length != whole)
            throw new IOException($"the connection ended at byte {destination.Length} of {whole}");
        return destination.Length;
    }

    private static bool Retryable(Exception e) => e switch
    {
        BadInputException => false,
        HttpRequestException { StatusCode: { } status } => (int)status >= 500 || status == HttpStatusCode.RequestTimeout,
        HttpRequestException or IOException or SocketException or OperationCanceledException => true,
        _ => false,
    };

    private static string Reason(Exception e) => e switch
    {
        OperationCanceledException => "no data for the timeout",
        HttpRequestException { InnerException: SocketException s } => s.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : s.Message,
        _ => e.InnerException is { } inner && e is HttpRequestException ? $"{e.Message} ({inner.Message})" : e.Message,
    };

    private static RescueKitException Failure(Uri url, Exception e, int attempts) =>
        e is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } }
            ? new RescueKitException($"{url}: connection refused after {attempts} attempts: start the HTTP server on that port or correct the host and port", ExitCodes.Failed, e)
            : new RescueKitException($"{url}: {Reason(e)} after {attempts} attempts: check the network and the server", ExitCodes.Failed, e);

    public void Dispose() => _client.Dispose();
}
