using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RescueKit.Host.Native;

/// <summary>How <see cref="DatagramBatchSender"/> hands a run of datagrams to the kernel, cheapest first.</summary>
public enum DatagramBatching
{
    /// <summary>UDP GSO: one sendmsg(2) with UDP_SEGMENT, cut into datagrams by the kernel (or the NIC).</summary>
    Segmented,
    /// <summary>One sendmmsg(2), one message per datagram.</summary>
    Batched,
    /// <summary>One send(2) per datagram.</summary>
    Single,
}

/// <summary>
/// Sends runs of datagrams laid out back to back in one buffer, all <c>stride</c> bytes long but the last, on a
/// connected UDP socket (a TFTP window: RFC 7440). Each datagram costs a system call of its own with send(2); here a
/// run costs one: a UDP_SEGMENT sendmsg(2) where the kernel takes it, else one sendmmsg(2). The first way the kernel
/// refuses is dropped for the rest of the socket's life: GSO where the route's MTU is smaller than a datagram, the
/// socket sends without checksums, IPsec applies or the kernel predates it (EINVAL, EIO, ENOPROTOOPT, EOPNOTSUPP),
/// sendmmsg where it is missing (ENOSYS). Values are x86-64 Linux ABI (glibc 2.36 bits/socket.h, linux/udp.h).
/// </summary>
public sealed unsafe partial class DatagramBatchSender(Socket socket, DatagramBatching batching = DatagramBatching.Segmented)
{
    private const int SOL_UDP = 17, UDP_SEGMENT = 103;

    /// <summary>linux/udp.h's UDP_MAX_SEGMENTS of kernels before 6.9 (128 since): datagrams per GSO send.</summary>
    private const int MaxSegments = 64;

    /// <summary>A GSO send is one UDP datagram before it is cut: 65535 bytes less the UDP and the IPv6 header.</summary>
    private const int MaxSegmentedBytes = 65535 - 8 - 40;

    /// <summary>Linux's UIO_MAXIOV: messages per sendmmsg call.</summary>
    private const int MaxMessages = 1024;

    /// <summary>CMSG_SPACE(sizeof(uint16_t)): a cmsghdr of 16 bytes and the segment size, padded to 8.</summary>
    private const int ControlSpace = 24;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CMsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    private DatagramBatching _batching = batching;
    private MMsgHdr[] _messages = [];
    private IoVec[] _vectors = [];

    /// <summary>The way runs go out now (the one asked for, or the one it fell back to).</summary>
    public DatagramBatching Batching => _batching;

    /// <summary>
    /// Sends <paramref name="count"/> datagrams from <paramref name="datagrams"/>: each <paramref name="stride"/> bytes,
    /// the last one what is left. Throws <see cref="SocketException"/> as <see cref="Socket.Send(byte[])"/> would.
    /// </summary>
    public void Send(ReadOnlySpan<byte> datagrams, int stride, int count)
    {
        if (count < 1 || stride < 1 || datagrams.Length <= (count - 1) * stride || datagrams.Length > count * stride)
            throw new ArgumentException($"{datagrams.Length} bytes are not {count} datagrams of {stride} bytes, the last one shorter");
        var sent = 0;
        while (sent < count)
        {
            var rest = datagrams[(sent * stride)..];
            var left = count - sent;
            if (left == 1) { SendOne(rest); sent++; continue; }
            sent += _batching switch
            {
                DatagramBatching.Segmented => SendSegmented(rest, stride, left),
                DatagramBatching.Batched => SendBatched(rest, stride, left),
                _ => SendOne(rest[..stride]),
            };
        }
    }

    /// <summary>Up to <see cref="MaxSegments"/> datagrams in one GSO send; 0 when GSO was just given up.</summary>
    private int SendSegmented(ReadOnlySpan<byte> datagrams, int stride, int count)
    {
        var n = Math.Min(count, Math.Min(MaxSegments, MaxSegmentedBytes / stride));
        if (n < 2)
        {
            _batching = DatagramBatching.Batched;
            return 0;
        }
        var length = n == count ? datagrams.Length : n * stride;
        var control = stackalloc byte[ControlSpace];
        new Span<byte>(control, ControlSpace).Clear();
        var cmsg = (CMsgHdr*)control;
        cmsg->Length = (nuint)(sizeof(CMsgHdr) + sizeof(ushort));
        cmsg->Level = SOL_UDP;
        cmsg->Type = UDP_SEGMENT;
        *(ushort*)(control + sizeof(CMsgHdr)) = (ushort)stride;
        fixed (byte* data = datagrams)
        {
            var iov = new IoVec { Base = data, Length = (nuint)length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = ControlSpace };
            while (true)
            {
                if (SendMsg(Fd, &msg, 0) >= 0) return n;
                var errno = Marshal.GetLastPInvokeError();
                if (SocketSendWait.SendsAgain(socket, errno)) continue;
                if (errno is Errno.EINVAL or Errno.EIO or Errno.ENOPROTOOPT or Errno.EOPNOTSUPP)
                {
                    _batching = DatagramBatching.Batched;
                    return 0;
                }
                throw Failure(errno);
            }
        }
    }

    /// <summary>The datagrams in sendmmsg calls of up to <see cref="MaxMessages"/>; 0 when sendmmsg is missing.</summary>
    private int SendBatched(ReadOnlySpan<byte> datagrams, int stride, int count)
    {
        var n = Math.Min(count, MaxMessages);
        if (_messages.Length < n)
        {
            _messages = new MMsgHdr[n];
            _vectors = new IoVec[n];
        }
        fixed (byte* data = datagrams)
        fixed (MMsgHdr* messages = _messages)
        fixed (IoVec* vectors = _vectors)
        {
            for (var i = 0; i < n; i++)
            {
                vectors[i] = new IoVec { Base = data + i * stride, Length = (nuint)Math.Min(stride, datagrams.Length - i * stride) };
                messages[i] = new MMsgHdr { Header = new MsgHdr { Iov = vectors + i, IovLength = 1 } };
            }
            var sent = 0;
            while (sent < n)
            {
                var r = SendMMsg(Fd, messages + sent, (uint)(n - sent), 0);
                if (r > 0) { sent += r; continue; }
                var errno = Marshal.GetLastPInvokeError();
                if (SocketSendWait.SendsAgain(socket, errno)) continue;
                if (errno == Errno.ENOSYS && sent == 0)
                {
                    _batching = DatagramBatching.Single;
                    return 0;
                }
                throw Failure(errno);
            }
            return n;
        }
    }

    private int SendOne(ReadOnlySpan<byte> datagram)
    {
        socket.Send(datagram);
        return 1;
    }

    private int Fd => (int)socket.SafeHandle.DangerousGetHandle();

    /// <summary>The errors a connected UDP socket reports, as .NET's own send reports them.</summary>
    private static SocketException Failure(int errno) => new((int)(errno switch
    {
        Errno.ECONNREFUSED => SocketError.ConnectionRefused,
        Errno.ENOBUFS => SocketError.NoBufferSpaceAvailable,
        Errno.EMSGSIZE => SocketError.MessageSize,
        Errno.EHOSTUNREACH => SocketError.HostUnreachable,
        Errno.ENETUNREACH => SocketError.NetworkUnreachable,
        _ => SocketError.SocketError,
    }));

    [LibraryImport("libc.so.6", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMMsg(int fd, MMsgHdr* messages, uint count, int flags);
}
