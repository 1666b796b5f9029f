using System.Net;
using System.Net.Sockets;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Net.Http;

/// <summary>
/// The bounded retries of one transfer (<see cref="FetchSettings"/>): each failure either ends the transfer with one
/// clear error (not retryable, or the last attempt) or is logged and waited out with exponential backoff. Shared by
/// every request <see cref="HttpFetcher"/> makes, so a download, a streamed backup chunk and a size query give up alike.
/// </summary>
internal sealed class FetchAttempts(Uri url, FetchSettings settings, ILogger log)
{
    private int _attempt = 1;
    private TimeSpan _delay = settings.FirstDelay;

    /// <summary>After <paramref name="e"/>: returns when another attempt is to be made (from byte
    /// <paramref name="from"/>), else throws the error that ends the transfer.</summary>
    public void Failed(Exception e, long from, CancellationToken cancellationToken)
    {
        if (!Retryable(e) || cancellationToken.IsCancellationRequested)
        {
            if (e is RescueKitException known) throw known;
            cancellationToken.ThrowIfCancellationRequested();
            throw Failure(e, _attempt);
        }
        if (_attempt >= settings.Attempts) throw Failure(e, _attempt);
        log.Warning("{Url}: {Error}; attempt {Next} of {Attempts} in {Delay:F1} s, from byte {From}",
            url, Reason(e), _attempt + 1, settings.Attempts, _delay.TotalSeconds, from);
        if (cancellationToken.WaitHandle.WaitOne(_delay)) cancellationToken.ThrowIfCancellationRequested();
        _delay *= 2;
        _attempt++;
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

    private RescueKitException Failure(Exception e, int attempts) =>
        e is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } }
            ? new RescueKitException($"{url}: connection refused after {attempts} attempts: start the HTTP server on that port or correct the host and port", ExitCodes.Failed, e)
            : new RescueKitException($"{url}: {Reason(e)} after {attempts} attempts: check the network and the server", ExitCodes.Failed, e);
}
