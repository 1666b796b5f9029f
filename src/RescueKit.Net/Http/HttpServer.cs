using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RescueKit.Host.Native;
using Serilog;

namespace RescueKit.Net.Http;

/// <summary>
/// A read-only HTTP/1.1 file server on plain sockets: GET and HEAD, one byte range (206/416), ETag and Last-Modified
/// with If-None-Match / If-Modified-Since (304), keep-alive. Paths are confined as for TFTP (<see cref="ServedTree"/>);
/// a directory is not found (no listings). The body goes out from the very descriptor that was checked, by sendfile(2)
/// (<see cref="SocketSendFile"/>), so nothing is held in memory (Socket.SendFileAsync would reopen the file by name, past
/// the confinement check, and was seen here to leave that descriptor open).
/// </summary>
public sealed class HttpServer : IDisposable
{
    private const int MaxHead = 16 * 1024;
    private const string BackupsPrefix = "/backups/";
    private readonly HttpServerSettings _settings;
    private readonly ServedTree _root;
    private readonly ServedTree? _backups;
    private readonly ILogger _log;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task _acceptor;

    public HttpServer(HttpServerSettings settings, TransferCounter counter, ILogger log)
    {
        _settings = settings;
        _root = new ServedTree(settings.Root);
        _backups = settings.Backups is null ? null : new ServedTree(settings.Backups);
        _log = log;
        Counter = counter;
        _listener = new Socket(settings.Bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        NetSockets.Bind(_listener, settings.Bind, settings.Port, "HTTP", "--http-port");
        _listener.Listen(128);
        _acceptor = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public TransferCounter Counter { get; }

    /// <summary>Connections still open.</summary>
    internal int Connections => _connections.Count;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            client.NoDelay = true;
            // Registered before it runs, so a connection that ends at once is still removed.
            var registered = new TaskCompletionSource();
            _connections[client] = Task.Run(async () =>
            {
                await registered.Task;
                try { await ServeAsync(client); }
                catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    _log.Debug("HTTP: connection from {Client} ended: {Error}", client.RemoteEndPoint, e.Message);
                }
                finally
                {
                    _connections.TryRemove(client, out _);
                    client.Dispose();
                }
            });
            registered.SetResult();
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var buffer = new byte[MaxHead];
        var filled = 0;
        var peer = client.RemoteEndPoint!;
        while (true)
        {
            // Read until the blank line that ends the head (RFC 9112 §2.1); a body is never expected (GET/HEAD).
            int end;
            while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (filled == buffer.Length) { await SimpleAsync(client, 431, "Request Header Fields Too Large", false); return; }
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(_settings.IdleTimeout);
                var n = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, idle.Token);
                if (n == 0) return;
                filled += n;
            }
            var head = HttpRequestHead.Parse(buffer.AsSpan(0, end));
            var rest = filled - (end + 4);
            buffer.AsSpan(end + 4, rest).CopyTo(buffer);
            filled = rest;
            if (head is null) { await SimpleAsync(client, 400, "Bad Request", false); return; }
            var keepAlive = head.KeepAlive;
            if (!await RespondAsync(client, peer, head, keepAlive) || !keepAlive) return;
        }
    }

    /// <summary>Answers one request; false when the connection cannot go on.</summary>
    private async Task<bool> RespondAsync(Socket client, EndPoint peer, HttpRequestHead head, bool keepAlive)
    {
        if (head.Method is not ("GET" or "HEAD"))
        {
            await SimpleAsync(client, 405, "Method Not Allowed", keepAlive, "Allow: GET, HEAD\r\n");
            return true;
        }
        var path = head.Target;
        var query = path.IndexOf('?');
        if (query >= 0) path = path[..query];
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) path = new Uri(path).AbsolutePath;
        try { path = Uri.UnescapeDataString(path); }
        catch (UriFormatException) { await SimpleAsync(client, 400, "Bad Request", false); return false; }
        var (tree, relative) = _backups is not null && path.StartsWith(BackupsPrefix, StringComparison.Ordinal)
            ? (_backups, path[BackupsPrefix.Length..])
            : (_root, path);
        var file = tree.Open(relative);
        if (file.Status != ServedFileStatus.Opened)
        {
            var (code, reason) = file.Status == ServedFileStatus.Missing ? (404, "Not Found") : (403, "Forbidden");
            await SimpleAsync(client, code, reason, keepAlive);
            Log(peer, path, 0, TimeSpan.Zero, $"{code}");
            return true;
        }
        using var stream = file.Stream!;
        var started = Environment.TickCount64;
        var length = file.Length;
        // A strong validator from size and modification time, as nginx does (RFC 9110 §8.8.3).
        var mtime = new DateTimeOffset(file.LastWriteUtc);
        var etag = $"\"{mtime.ToUnixTimeSeconds():x}-{length:x}\"";
        var lastModified = mtime.ToString("r", CultureInfo.InvariantCulture);
        var validators = $"ETag: {etag}\r\nLast-Modified: {lastModified}\r\nAccept-Ranges: bytes\r\n";
        if (NotModified(head, etag, mtime))
        {
            await SimpleAsync(client, 304, "Not Modified", keepAlive, validators, body: false);
            Log(peer, path, 0, TimeSpan.Zero, "304");
            return true;
        }
        var range = ByteRange.Parse(IfRangeHolds(head, etag) ? head.Field("Range") : null, length, out var satisfiable);
        if (!satisfiable)
        {
            await SimpleAsync(client, 416, "Range Not Satisfiable", keepAlive, $"Content-Range: bytes */{length}\r\n");
            Log(peer, path, 0, TimeSpan.Zero, "416");
            return true;
        }
        var status = range is null ? "200 OK" : "206 Partial Content";
        var (first, count) = range is { } r ? (r.First, r.Length) : (0L, length);
        var header = new StringBuilder()
            .Append($"HTTP/1.1 {status}\r\n")
            .Append("Server: rescuekit\r\n")
            .Append($"Date: {DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)}\r\n")
            .Append("Content-Type: application/octet-stream\r\n")
            .Append($"Content-Length: {count}\r\n")
            .Append(range is { } c ? $"Content-Range: bytes {c.First}-{c.Last}/{length}\r\n" : "")
            .Append(validators)
            .Append(keepAlive ? "" : "Connection: close\r\n")
            .Append("\r\n");
        var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
        var id = Counter.Begin(peer, "http", path);
        var result = "ok";
        long sent = 0;
        try
        {
            if (head.Method == "HEAD") await client.SendAsync(headerBytes, SocketFlags.None, _stop.Token);
            else
            {
                await client.SendAsync(headerBytes, SocketFlags.None, _stop.Token);
                // sendfile(2) on a thread of its own (it blocks while the client's window is full): through a user
                // buffer (pread, then send) a single client got 0.8x nginx's rate (bench/pxe.sh).
                var handle = stream.SafeFileHandle;
                await Task.Factory.StartNew(() => SocketSendFile.Send(client, handle, first, count, s => sent = s, _stop.Token),
                    _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            result = $"failed: {e.Message}";
            return false;
        }
        finally
        {
            Counter.End(id, new TransferRecord(peer, "http", path, sent, TimeSpan.FromMilliseconds(Environment.TickCount64 - started),
                result == "ok" ? "ok" : result));
        }
    }

    /// <summary>RFC 9110 §13.1.2 / §13.1.3: If-None-Match wins over If-Modified-Since.</summary>
    private static bool NotModified(HttpRequestHead head, string etag, DateTimeOffset mtime)
    {
        var noneMatch = head.Field("If-None-Match");
        if (noneMatch is not null)
            return noneMatch.Trim() == "*" || noneMatch.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "W/" + etag);
        var since = head.Field("If-Modified-Since");
        return since is not null && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)
            && mtime.ToUnixTimeSeconds() <= s.ToUnixTimeSeconds();
    }

    /// <summary>RFC 9110 §13.1.5: a Range with an If-Range that no longer matches gets the whole file.</summary>
    private static bool IfRangeHolds(HttpRequestHead head, string etag) =>
        head.Field("If-Range") is not { } ifRange || !ifRange.StartsWith('"') || ifRange == etag;

    private async Task SimpleAsync(Socket client, int code, string reason, bool keepAlive, string extra = "", bool body = true)
    {
        var text = body ? $"{code} {reason}\n" : "";
        var response = $"HTTP/1.1 {code} {reason}\r\nServer: rescuekit\r\n{extra}" +
            (code == 304 ? "" : $"Content-Type: text/plain\r\nContent-Length: {text.Length}\r\n") +
            (keepAlive ? "" : "Connection: close\r\n") + "\r\n" + text;
        await client.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None, _stop.Token);
    }

    private void Log(EndPoint peer, string path, long bytes, TimeSpan elapsed, string result)
    {
        var id = Counter.Begin(peer, "http", path);
        Counter.End(id, new TransferRecord(peer, "http", path, bytes, elapsed, result));
    }

    /// <summary>Stops listening, closes every connection and waits for their tasks.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Dispose();
        try { _acceptor.Wait(); } catch (AggregateException) { }
        // ToArray is the dictionary's own snapshot; ToList counts first and copies after, so a connection ending in
        // between left a null entry at the end (a NullReferenceException seen once in a full run).
        foreach (var (socket, task) in _connections.ToArray())
        {
            socket.Dispose();
            try { task.Wait(); } catch (AggregateException) { }
        }
        _stop.Dispose();
    }
}
