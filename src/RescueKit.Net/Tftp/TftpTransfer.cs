using System.Net.Sockets;
using RescueKit.Host.Native;

namespace RescueKit.Net.Tftp;

/// <summary>
/// Sends one file to one client over the transfer's own socket (RFC 1350 §4: a new TID per transfer), in windows of
/// <see cref="TftpOptions.WindowSize"/> blocks (RFC 7440; 1 is RFC 1350's lock-step). The block number is the low 16
/// bits of the block's index, so a file longer than 65535 blocks rolls over to 0 and goes on, as tftp-hpa, atftp and
/// curl expect. A window is sent again only when its ACK times out, never because of a duplicate ACK in lock-step (the
/// Sorcerer's Apprentice bug, RFC 1123 §4.2.3.1); with windows, an ACK of a block inside the window is RFC 7440 §4's
/// "resume from the next one".
/// </summary>
internal sealed class TftpTransfer(Socket socket, Stream source, TftpOptions options, int retries, DatagramBatching batching)
{
    /// <summary>The receive timeout the socket has now, in ms (0: none set yet, which the socket reads as "wait forever").</summary>
    private int _receiveTimeout;

    public long BytesAcknowledged { get; private set; }

    /// <summary>Runs to the end; returns "ok" or why it stopped.</summary>
    public string Run(CancellationToken cancellationToken)
    {
        var receive = new byte[Math.Max(516, 4 + options.BlockSize)];
        if (options.Acknowledged.Count > 0)
        {
            // RFC 2347: after an OACK the client's ACK of block 0 opens the transfer.
            var oack = TftpPackets.Oack(options.Acknowledged);
            var opened = Exchange(() => socket.Send(oack), receive, cancellationToken, packet =>
                TftpPackets.Opcode(packet) == TftpOpcode.Ack && TftpPackets.Block(packet) == 0);
            if (opened != "ok") return opened;
        }

        var window = options.WindowSize;
        var blockSize = options.BlockSize;
        var stride = TftpPackets.HeaderSize + blockSize;
        // The window's DATA packets back to back, the first unacknowledged block first: read with one preadv(2) and
        // sent with one GSO send or sendmmsg(2) per window, where a send and a read per block made the windowed row of
        // bench/pxe.sh per-packet bound.
        var packets = new byte[window * stride];
        // The next window, read while the client takes this one, so an ACK is answered without a read in between.
        var ahead = source is FileStream ? new byte[window * stride] : null;
        var reader = ahead is null ? new WindowReader(source, stride, window, packets) : new WindowReader(source, stride, window, packets, ahead);
        var aheadCount = -1;   // DATA packets in `ahead` (-1: nothing read ahead)
        long aheadBytes = 0, aheadLast = -1;
        var aheadLastLength = 0;
        var sender = new DatagramBatchSender(socket, batching);
        long first = 1;        // index of the first block not yet acknowledged
        var inFlight = 0;      // blocks read into the window, from `first` on
        long last = -1;        // index of the final (short) block, once read
        var lastLength = 0;    // its data bytes
        long resentFor = -1;   // the `first` for which a windowed duplicate ACK already caused a resend
        var sendFrom = 0;      // offset in the window from which the next send goes out
        var tries = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (inFlight < window && last < 0)
            {
                var wanted = window - inFlight;
                var (headers, read) = Read(reader, packets, inFlight, wanted, first + inFlight);
                if (read < (long)wanted * blockSize)
                {
                    last = first + inFlight + headers - 1;
                    lastLength = (int)(read - (long)(headers - 1) * blockSize);
                }
                inFlight += headers;
            }
            if (sendFrom < inFlight)
            {
                var end = first + inFlight - 1 == last ? (inFlight - 1) * stride + TftpPackets.HeaderSize + lastLength : inFlight * stride;
                sender.Send(packets.AsSpan(sendFrom * stride, end - sendFrom * stride), stride, inFlight - sendFrom);
            }
            sendFrom = inFlight;
            if (ahead is not null && aheadCount < 0 && last < 0 && inFlight == window)
            {
                (aheadCount, aheadBytes) = Read(reader, ahead, 0, window, first + window);
                var shortRead = aheadBytes < (long)window * blockSize;
                aheadLast = shortRead ? first + window + aheadCount - 1 : -1;
                aheadLastLength = shortRead ? (int)(aheadBytes - (long)(aheadCount - 1) * blockSize) : 0;
            }

            var deadline = Environment.TickCount64 + (long)options.Timeout.TotalMilliseconds;
            var advanced = false;
            while (!advanced)
            {
                var got = Receive(receive, deadline, cancellationToken);
                if (got == Gone) return "client went away (port unreachable)";
                if (got < 0)
                {
                    if (++tries > retries) return $"timed out: no ACK after {retries} resends";
                    sendFrom = 0; // the whole window again
                    break;
                }
                var packet = receive.AsSpan(0, got);
                var opcode = TftpPackets.Opcode(packet);
                if (opcode == TftpOpcode.Error)
                    return $"client error: {TftpPackets.ReadError(packet).Message}";
                if (opcode != TftpOpcode.Ack || got < 4) continue;
                var block = TftpPackets.Block(packet);
                var delta = (ushort)(block - (ushort)first);
                if (delta < inFlight)
                {
                    var acked = delta + 1;
                    if (last >= 0 && first + delta == last)
                    {
                        BytesAcknowledged += (long)delta * blockSize + lastLength;
                        return "ok";
                    }
                    BytesAcknowledged += (long)acked * blockSize;
                    var partial = acked < inFlight;
                    // The blocks not yet acknowledged move to the window's front, where the next send starts; what was
                    // read ahead of them is read again after them.
                    if (partial) Buffer.BlockCopy(packets, acked * stride, packets, 0, (inFlight - acked) * stride);
                    if (partial && aheadCount >= 0)
                    {
                        reader.Unread(aheadBytes);
                        aheadCount = -1;
                    }
                    first += acked;
                    inFlight -= acked;
                    if (!partial && aheadCount >= 0)
                    {
                        (packets, ahead) = (ahead!, packets);
                        inFlight = aheadCount;
                        last = aheadLast;
                        lastLength = aheadLastLength;
                        aheadCount = -1;
                    }
                    // RFC 7440 §4: an ACK short of the window's end says the rest was lost; the send starts again from the
                    // front, which is the first block not acknowledged.
                    sendFrom = 0;
                    tries = 0;
                    advanced = true;
                }
                else if (window > 1 && block == (ushort)(first - 1) && resentFor != first)
                {
                    // The client lost the window's first block and says so by acknowledging the one before; once.
                    resentFor = first;
                    sendFrom = 0;
                    advanced = true;
                }
                // Any other ACK (a duplicate in lock-step, a stale one) is ignored: the timer alone resends.
            }
        }
    }

    /// <summary>Reads up to <paramref name="count"/> blocks into the data packets of <paramref name="packets"/> from
    /// <paramref name="from"/> on, and writes their headers, numbered from <paramref name="index"/>; a short read ends
    /// with the last (short or empty) block. Returns the packets made and the data bytes read.</summary>
    private (int Packets, long Bytes) Read(WindowReader reader, byte[] packets, int from, int count, long index)
    {
        var read = reader.Fill(packets, from, count);
        var blockSize = options.BlockSize;
        var full = (int)Math.Min(read / blockSize, count);
        var made = read < (long)count * blockSize ? full + 1 : full;
        for (var k = 0; k < made; k++)
            TftpPackets.WriteDataHeader(packets.AsSpan((from + k) * (blockSize + TftpPackets.HeaderSize)), (ushort)(index + k));
        return (made, read);
    }

    /// <summary>Sends with <paramref name="send"/> until a packet <paramref name="accept"/>s, resending on timeouts.</summary>
    private string Exchange(Action send, byte[] receive, CancellationToken cancellationToken, Func<ReadOnlySpan<byte>, bool> accept)
    {
        for (var tries = 0; tries <= retries; tries++)
        {
            send();
            var deadline = Environment.TickCount64 + (long)options.Timeout.TotalMilliseconds;
            int got;
            while ((got = Receive(receive, deadline, cancellationToken)) >= 0 || got == Gone)
            {
                if (got == Gone) return "client went away (port unreachable)";
                var packet = receive.AsSpan(0, got);
                if (TftpPackets.Opcode(packet) == TftpOpcode.Error)
                    return $"client error: {TftpPackets.ReadError(packet).Message}";
                if (accept(packet)) return "ok";
            }
        }
        return $"timed out: no ACK after {retries} resends";
    }

    private const int TimedOut = -1, Gone = -2;

    /// <summary>One datagram, <see cref="TimedOut"/> when the deadline passes first, <see cref="Gone"/> when the client's
    /// port is closed.</summary>
    private int Receive(byte[] buffer, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = deadline - Environment.TickCount64;
            if (left <= 0) return -1;
            // A blocking receive with the socket's own timeout (SO_RCVTIMEO), in slices of at most 250 ms so a stopping
            // server is noticed: one system call per ACK where a poll before each receive made two (bench/pxe.sh, the
            // lock-step rows). The option is set only when the slice changes, which is at most once per deadline.
            var slice = (int)Math.Min(left, 250);
            if (slice != _receiveTimeout)
            {
                socket.ReceiveTimeout = slice;
                _receiveTimeout = slice;
            }
            try { return socket.Receive(buffer); }
            // ICMP port unreachable from a client that went away surfaces as ConnectionRefused on a connected socket.
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused) { return Gone; }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock) { }
        }
    }
}
