using System.Runtime.InteropServices;
using System.Text;

namespace RescueKit.Host.Native;

/// <summary>
/// A failed libc call: which call, the errno and the raw path it was about. The message decodes the path lossily
/// (invalid UTF-8 becomes U+FFFD); <see cref="Path"/> keeps the exact bytes.
/// </summary>
public sealed class NativeIOException(string call, int errno, byte[] path)
    : IOException($"{call} '{Display(path)}': {Marshal.GetPInvokeErrorMessage(errno)} ({Native.Errno.Name(errno)})")
{
    public string Call { get; } = call;

    public int Errno { get; } = errno;

    public byte[] Path { get; } = path;

    /// <summary>A raw path as text for messages only: invalid UTF-8 sequences become U+FFFD.</summary>
    public static string Display(ReadOnlySpan<byte> path) => Encoding.UTF8.GetString(path);
}
