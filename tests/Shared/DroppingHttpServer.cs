using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RescueKit.Tests.Shared;

/// <summary>
/// A fault-injecting HTTP server for the fetch and HTTP-restore tests: it answers GET and HEAD with the body its
/// lookup gives for the path (404 when none), honouring "Range: bytes=N-", but the first <see cref="Drops"/> GETs of
/// <see cref="DropPath"/> (of any path when null) announce the whole length and close the connection after
/// <see cref="CutAfter"/> bytes of body, as a server that dies mid-transfer would. It records each GET's path and range
/// start.
/// </summary>
public sealed class DroppingHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, byte[]?> _bodyOf;
    private readonly Task _loop;
    private int _served;

    /// <summary>One body for every path.</summary>
    public DroppingHttpServer(byte[] body, int drops, int cutAfter) : this(_ => body, drops, cutAfter) { }

    public DroppingHttpServer(Func<string, byte[]?> bodyOf, int drops, int cutAfter, string? dropPath = null)
    {
        _bodyOf = bodyOf;
        Drops = drops;
        CutAfter = cutAfter;
        DropPath = dropPath;
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Drops { get; }
    public int CutAfter { get; }
    public string? DropPath { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public List<long> RangeStarts { get; } = [];
    public List<(string Path, long From)> Gets { get; } = [];

    private async Task LoopAsync()
    {
        while (true)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            // Stopped while serving, the listener is no longer listening when the loop comes back to accept.
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            using (client)
            {
                try { await ServeAsync(client.GetStream()); }
                catch (IOException) { }
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0) return;
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var (method, path) = (requestLine[0], Uri.UnescapeDataString(requestLine[1]));
        long from = 0;
        foreach (var line in lines)
            if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                from = long.Parse(line["Range: bytes=".Length..].TrimEnd('-'));
        var body = _bodyOf(path);
        if (body is null)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            return;
        }
        if (method == "HEAD")
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
            return;
        }
        lock (RangeStarts)
        {
            RangeStarts.Add(from);
            Gets.Add((path, from));
        }
        var status = from > 0
            ? $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{body.Length - 1}/{body.Length}\r\n"
            : "HTTP/1.1 200 OK\r\n";
        var rest = body.Length - (int)from;
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{status}Content-Length: {rest}\r\nConnection: close\r\n\r\n"));
        var dropping = (DropPath is null || DropPath == path) && Interlocked.Increment(ref _served) <= Drops;
        var send = dropping ? Math.Min(CutAfter, rest) : rest;
        await stream.WriteAsync(body.AsMemory((int)from, send));
        await stream.FlushAsync();
    }

    public void Dispose()
    {
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
