using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RescueKit.Host.Native;

/// <summary>
/// sendfile(2) from an open file to a connected socket: the kernel copies page-cache pages to the socket, with no
/// pass through a user buffer. The descriptor is the caller's (the one it checked), never a file reopened by name, which
/// Socket.SendFile would do. The socket may be non-blocking (.NET makes it so once it was used asynchronously):
/// a full send buffer is waited out with poll(2) in slices, so the caller's thread blocks; run it on a thread of its own.
/// </summary>
public static partial class SocketSendFile
{
    /// <summary>Linux sends at most 0x7ffff000 bytes per call.</summary>
    private const long MaxPerCall = 0x7ffff000;

    /// <summary>
    /// Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/> (the file position is
    /// left alone); <paramref name="progress"/> gets the total sent after each call. Throws <see cref="IOException"/> when
    /// the file ends first or the send fails (the client went away), <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static void Send(Socket socket, SafeFileHandle file, long offset, long count, Action<long> progress,
        CancellationToken cancellationToken)
    {
        var sent = 0L;
        var position = offset;
        var fd = (int)socket.SafeHandle.DangerousGetHandle();
        var input = (int)file.DangerousGetHandle();
        while (sent < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = SendFile(fd, input, ref position, (nint)Math.Min(count - sent, MaxPerCall));
            if (n > 0)
            {
                sent += n;
                progress(sent);
                continue;
            }
            if (n == 0) throw new IOException("the file shrank while being sent");
            var errno = Marshal.GetLastPInvokeError();
            if (!SocketSendWait.SendsAgain(socket, errno)) throw new IOException($"sendfile to the client failed (errno {errno})");
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint SendFile(int outFd, int inFd, ref long offset, nint count);
}
