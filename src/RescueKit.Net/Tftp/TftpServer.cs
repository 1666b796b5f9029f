using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Serilog;

namespace RescueKit.Net.Tftp;

/// <summary>
/// A read-only TFTP server (RFC 1350 with RFC 2347/2348/2349/7440 options). The listening socket only takes
/// requests; each RRQ gets a transfer on a socket of its own on an ephemeral port, run on its own thread. A WRQ is
/// answered with an ERROR (access violation): nothing is ever written.
/// </summary>
public sealed class TftpServer : IDisposable
{
    private readonly TftpServerSettings _settings;
    private readonly ServedTree _tree;
    private readonly ILogger _log;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Thread, Socket> _transfers = new();
    private readonly Thread _acceptor;

    public TftpServer(TftpServerSettings settings, string root, TransferCounter counter, ILogger log)
    {
        _settings = settings;
        _tree = new ServedTree(root);
        _log = log;
        Counter = counter;
        _listener = NetSockets.BindUdp(settings.Bind, settings.Port, "TFTP", "--tftp-port");
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "tftp-listen" };
        _acceptor.Start();
    }

    /// <summary>The port the server listens on (the one given, or the one the kernel chose for port 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public TransferCounter Counter { get; }

    /// <summary>Transfer threads still alive (0 once every transfer has ended).</summary>
    internal int Threads => _transfers.Count;

    private void Accept()
    {
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try { n = _listener.ReceiveFrom(buffer, ref from); }
            catch (SocketException) when (!_stop.IsCancellationRequested) { continue; }
            catch (Exception) { return; } // disposed: stopping
            var client = (IPEndPoint)from;
            var request = TftpRequest.Parse(buffer.AsSpan(0, n));
            if (request is null)
            {
                _log.Debug("TFTP: ignored a malformed request from {Client}", client);
                continue;
            }
            if (request.Opcode == TftpOpcode.Wrq)
            {
                Refuse(client, TftpErrorCode.AccessViolation, "read-only server: write requests are refused");
                Finish(client, request.Filename, 0, TimeSpan.Zero, "refused: write request");
                continue;
            }
            Start(client, request);
        }
    }

    private void Start(IPEndPoint client, TftpRequest request)
    {
        if (request.Mode is not ("octet" or "netascii"))
        {
            Refuse(client, TftpErrorCode.IllegalOperation, $"mode '{request.Mode}' is not served: use octet");
            Finish(client, request.Filename, 0, TimeSpan.Zero, $"refused: mode {request.Mode}");
            return;
        }
        var file = _tree.Open(request.Filename);
        if (file.Status != ServedFileStatus.Opened)
        {
            var (code, text) = file.Status == ServedFileStatus.Missing
                ? (TftpErrorCode.FileNotFound, "file not found")
                : (TftpErrorCode.AccessViolation, "access violation: outside the served tree");
            Refuse(client, code, text);
            Finish(client, request.Filename, 0, TimeSpan.Zero, file.Status == ServedFileStatus.Missing ? "not found" : "refused: outside the root");
            return;
        }
        Socket socket;
        try
        {
            socket = new Socket(client.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(_settings.Bind, 0));
            socket.Connect(client);
        }
        catch (SocketException e)
        {
            file.Stream!.Dispose();
            _log.Warning("TFTP: no socket for {Client}: {Error}", client, e.Message);
            return;
        }
        var id = Counter.Begin(client, "tftp", request.Filename);
        var thread = new Thread(() => Transfer(id, socket, client, request, file)) { IsBackground = true, Name = "tftp-transfer" };
        _transfers[thread] = socket;
        thread.Start();
    }

    private void Transfer(long id, Socket socket, IPEndPoint client, TftpRequest request, ServedFile file)
    {
        var started = Environment.TickCount64;
        long bytes = 0;
        string result;
        try
        {
            using var source = request.Mode == "netascii" ? new NetasciiStream(file.Stream!) : (Stream)file.Stream!;
            var options = TftpOptions.Negotiate(request, request.Mode == "octet" ? file.Length : null, _settings);
            var transfer = new TftpTransfer(socket, source, options, _settings.Retries, _settings.Batching);
            try { result = transfer.Run(_stop.Token); }
            catch (OperationCanceledException) { result = "stopped: server shutting down"; }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { result = $"socket error: {e.Message}"; }
            catch (IOException e) { result = $"read error: {e.Message}"; }
            bytes = transfer.BytesAcknowledged;
            if (result.StartsWith("timed out", StringComparison.Ordinal) || result.StartsWith("read error", StringComparison.Ordinal))
                TrySend(socket, TftpPackets.Error(TftpErrorCode.NotDefined, result));
        }
        finally
        {
            socket.Dispose();
            _transfers.TryRemove(Thread.CurrentThread, out _);
        }
        Counter.End(id, new TransferRecord(client, "tftp", request.Filename, bytes, TimeSpan.FromMilliseconds(Environment.TickCount64 - started), result));
    }

    private void Finish(IPEndPoint client, string file, long bytes, TimeSpan elapsed, string result)
    {
        var id = Counter.Begin(client, "tftp", file);
        Counter.End(id, new TransferRecord(client, "tftp", file, bytes, elapsed, result));
    }

    /// <summary>An ERROR from the listening socket (RFC 1350 §4: an error to a request needs no transfer).</summary>
    private void Refuse(IPEndPoint client, TftpErrorCode code, string message) =>
        TrySend(null, TftpPackets.Error(code, message), client);

    private void TrySend(Socket? socket, byte[] packet, IPEndPoint? to = null)
    {
        try
        {
            if (socket is null) _listener.SendTo(packet, to!);
            else socket.Send(packet);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    /// <summary>Stops listening, ends every transfer in progress and waits for their threads.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Dispose();
        _acceptor.Join();
        foreach (var thread in _transfers.Keys.ToList()) thread.Join();
        _stop.Dispose();
    }
}
