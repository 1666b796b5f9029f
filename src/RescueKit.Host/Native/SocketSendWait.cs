using System.Net.Sockets;

namespace RescueKit.Host.Native;

/// <summary>What a failed send(2)-family call on a socket .NET may have made non-blocking means for the caller.</summary>
internal static class SocketSendWait
{
    /// <summary>
    /// True when the call is to be made again: it was interrupted (EINTR), or the send buffer is full (EAGAIN), which is
    /// waited out here in one 250 ms slice of poll(2), so a stopping server is noticed between slices.
    /// </summary>
    public static bool SendsAgain(Socket socket, int errno)
    {
        if (errno == Errno.EINTR) return true;
        if (errno != Errno.EAGAIN) return false;
        socket.Poll(250_000, SelectMode.SelectWrite);
        return true;
    }
}
