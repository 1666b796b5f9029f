using System.Net;
using System.Net.Sockets;
using RescueKit.Net.Tftp;

namespace RescueKit.Net.Tests;

/// <summary>
/// The tests' own TFTP client (RFC 1350 receiver with RFC 7440 windows), able to misbehave: drop DATA packets as if
/// lost, acknowledge twice, or stop acknowledging. It counts every DATA packet it sees per block index.
/// </summary>
internal sealed class TestTftpClient(int port)
{
    public Func<long, int, bool> Drop { get; init; } = (_, _) => false; // (block index, times seen) → lose it
    public bool DuplicateAcks { get; init; }
    public long StopAcknowledgingAfter { get; init; } = long.MaxValue;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(300);

    public Dictionary<long, int> Seen { get; } = new();
    public (ushort Code, string Message)? Error { get; private set; }
    public Dictionary<string, string>? Oack { get; private set; }

    public byte[] Get(string file, params (string Name, string Value)[] options)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        var server = new IPEndPoint(IPAddress.Loopback, port);
        socket.SendTo(TftpRequest.Rrq(file, options.Select(o => new KeyValuePair<string, string>(o.Name, o.Value))), server);
        var blockSize = 512; var window = 1;
        var data = new MemoryStream();
        long expected = 1; var inWindow = 0; EndPoint peer = new IPEndPoint(IPAddress.Any, 0);
        var buffer = new byte[65536 + 4];
        var idle = 0;
        while (true)
        {
            int n;
            try { n = socket.ReceiveFrom(buffer, ref peer); idle = 0; }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                if (++idle > 20) throw new TimeoutException($"no DATA for {idle} timeouts at block {expected}");
                if (expected - 1 >= StopAcknowledgingAfter) continue;
                if (Oack is null && expected == 1 && peer is IPEndPoint { Port: 0 }) socket.SendTo(TftpRequest.Rrq(file, []), server);
                else socket.SendTo(TftpPackets.Ack((ushort)(expected - 1)), peer);
                inWindow = 0;
                continue;
            }
            var packet = buffer.AsSpan(0, n);
            switch (TftpPackets.Opcode(packet))
            {
                case TftpOpcode.Error:
                    var (code, message) = TftpPackets.ReadError(packet);
                    Error = ((ushort)code, message);
                    return data.ToArray();
                case TftpOpcode.Oack:
                    Oack = TftpPackets.ReadOack(packet);
                    if (Oack.TryGetValue("blksize", out var b)) blockSize = int.Parse(b);
                    if (Oack.TryGetValue("windowsize", out var w)) window = int.Parse(w);
                    socket.SendTo(TftpPackets.Ack(0), peer);
                    continue;
                case TftpOpcode.Data:
                    var block = TftpPackets.Block(packet);
                    // The index this block number stands for: the expected one or a neighbour.
                    var index = expected + (short)(ushort)(block - (ushort)expected);
                    Seen[index] = Seen.GetValueOrDefault(index) + 1;
                    if (Drop(index, Seen[index])) continue;
                    if (index != expected)
                    {
                        // RFC 7440 §4: out of order, acknowledge the last block received in order.
                        if (index > expected && expected - 1 < StopAcknowledgingAfter) socket.SendTo(TftpPackets.Ack((ushort)(expected - 1)), peer);
                        inWindow = 0;
                        continue;
                    }
                    data.Write(packet[4..]);
                    expected++; inWindow++;
                    var last = n - 4 < blockSize;
                    if (inWindow == window || last)
                    {
                        inWindow = 0;
                        if (index > StopAcknowledgingAfter) continue;
                        socket.SendTo(TftpPackets.Ack(block), peer);
                        if (DuplicateAcks) socket.SendTo(TftpPackets.Ack(block), peer);
                    }
                    if (last) return data.ToArray();
                    continue;
            }
        }
    }
}
