using System.Net;
using System.Net.Http.Headers;
using Serilog;

namespace RescueKit.Net.Http;

/// <summary>
/// The body of one URL as a read-only stream that outlives dropped connections: when a read fails (the connection
/// reset or cut short, no data for the timeout, a 5xx), the next request asks for "Range: bytes=N-" from the byte
/// reached, within the bounded attempts of <see cref="FetchAttempts"/>. A server that answers 200 to a range request
/// is read again from its start with the bytes already served skipped, so the reader sees each byte once and in order
/// (a hash computed over what it reads stays right). The first request is made when the stream is opened, so a 404 or
/// a refused connection is an error of the open, and <see cref="Length"/> is known from then on.
/// </summary>
internal sealed class ResumingHttpStream : Stream
{
    private readonly HttpClient _client;
    private readonly FetchSettings _settings;
    private readonly ILogger _log;
    private readonly Uri _url;
    private readonly CancellationToken _cancellationToken;
    private readonly FetchAttempts _attempts;
    private HttpResponseMessage? _response;
    private CancellationTokenSource? _timeout;
    private Stream? _body;
    private long _position;
    private long? _total;

    public ResumingHttpStream(HttpClient client, FetchSettings settings, ILogger log, Uri url, CancellationToken cancellationToken)
    {
        _client = client;
        _settings = settings;
        _log = log;
        _url = url;
        _cancellationToken = cancellationToken;
        _attempts = new FetchAttempts(url, settings, log);
        while (true)
        {
            try
            {
                Connect();
                return;
            }
            catch (Exception e)
            {
                Disconnect();
                _attempts.Failed(e, _position, cancellationToken);
            }
        }
    }

    /// <summary>The body's whole length as the server gave it (Content-Length or Content-Range), or null.</summary>
    public long? KnownLength => _total;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;

    /// <summary>The body's length as the server announced it; a server that announced none leaves it unknown.</summary>
    public override long Length => _total ?? throw new NotSupportedException($"{_url}: the server gave no length");

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        while (true)
        {
            try
            {
                if (_body is null) Connect();
                // The timeout is per read: a slow but moving transfer is not cut off.
                _timeout!.CancelAfter(_settings.Timeout);
                var n = _body!.Read(buffer);
                if (n == 0 && _total is { } whole && _position != whole)
                    throw new IOException($"the connection ended at byte {_position} of {whole}");
                _position += n;
                return n;
            }
            catch (Exception e) when (e is not ObjectDisposedException)
            {
                Disconnect();
                _attempts.Failed(e, _position, _cancellationToken);
            }
        }
    }

    /// <summary>One request from the byte reached; on return <see cref="_body"/> is positioned there.</summary>
    private void Connect()
    {
        var from = _position;
        using var request = new HttpRequestMessage(HttpMethod.Get, _url);
        if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
        _timeout = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
        _timeout.CancelAfter(_settings.Timeout);
        _response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, _timeout.Token);
        var status = _response.StatusCode;
        if (status == HttpStatusCode.NotFound) throw new FetchNotFoundException(_url);
        var skip = 0L;
        if (from > 0 && status == HttpStatusCode.OK)
        {
            _log.Warning("{Url}: the server does not resume (200 to a range request); reading from the start again", _url);
            skip = from;
            from = 0;
        }
        else if (from > 0 && status != HttpStatusCode.PartialContent)
            throw new HttpRequestException($"HTTP {(int)status} {_response.ReasonPhrase} to a range request", null, status);
        else if (from == 0 && status != HttpStatusCode.OK)
            throw new HttpRequestException($"HTTP {(int)status} {_response.ReasonPhrase}", null, status);
        if (from > 0 && _response.Content.Headers.ContentRange is { } range && range.From != from)
            throw new HttpRequestException($"the server resumed at byte {range.From}, not {from}");
        var length = _response.Content.Headers.ContentLength is { } body ? from + body : (long?)null;
        _total = _response.Content.Headers.ContentRange?.Length ?? length ?? _total;
        _body = _response.Content.ReadAsStream(_timeout.Token);
        if (skip > 0) Skip(skip);
    }

    private void Skip(long count)
    {
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            _timeout!.CancelAfter(_settings.Timeout);
            var n = _body!.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0) throw new IOException($"the connection ended before byte {_position}");
            count -= n;
        }
    }

    private void Disconnect()
    {
        _body?.Dispose();
        _body = null;
        _response?.Dispose();
        _response = null;
        _timeout?.Dispose();
        _timeout = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Disconnect();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
