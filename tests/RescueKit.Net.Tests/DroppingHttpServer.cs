using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RescueKit.Net.Tests;

/// <summary>
/// A fault-injecting HTTP server for the fetch tests: it answers every GET for one body, honouring "Range: bytes=N-",
/// but the first <see cref="Drops"/> responses announce the whole length and close the connection after
/// <see cref="CutAfter"/> bytes of body, as a server that dies mid-transfer would. It records each request's range start.
/// </summary>
internal sealed class DroppingHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _body;
    private readonly Task _loop;
    private int _served;

    public DroppingHttpServer(byte[] body, int drops, int cutAfter)
    {
        _body = body;
        Drops = drops;
        CutAfter = cutAfter;
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Drops { get; }
    public int CutAfter { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public List<long> RangeStarts { get; } = [];

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
        long from = 0;
        foreach (var line in head.ToString().Split("\r\n"))
            if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                from = long.Parse(line["Range: bytes=".Length..].TrimEnd('-'));
        lock (RangeStarts) RangeStarts.Add(from);
        var status = from > 0
            ? $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{_body.Length - 1}/{_body.Length}\r\n"
            : "HTTP/1.1 200 OK\r\n";
        var rest = _body.Length - (int)from;
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{status}Content-Length: {rest}\r\nConnection: close\r\n\r\n"));
        var send = Interlocked.Increment(ref _served) <= Drops ? Math.Min(CutAfter, rest) : rest;
        await stream.WriteAsync(_body.AsMemory((int)from, send));
        await stream.FlushAsync();
    }

    public void Dispose()
    {
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
