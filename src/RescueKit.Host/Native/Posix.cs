using System.Runtime.InteropServices;

namespace RescueKit.Host.Native;

// Shared pieces of the checked wrappers: errno to exception, NUL-terminated copies of raw names, path joining.
public static unsafe class Posix
{
    /// <summary>Room for a NUL-terminated name within one directory (NAME_MAX is 255).</summary>
    public const int NameBufferSize = 512;

    public static int LastErrno => Marshal.GetLastPInvokeError();

    public static NativeIOException Error(string call, byte[] path) => new(call, LastErrno, path);

    public static void Check(int result, string call, byte[] path)
    {
        if (result < 0) throw Error(call, path);
    }

    /// <summary><paramref name="text"/> followed by a NUL, in <paramref name="scratch"/> when it fits.</summary>
    public static Span<byte> CString(ReadOnlySpan<byte> text, Span<byte> scratch)
    {
        var target = text.Length < scratch.Length ? scratch : new byte[text.Length + 1];
        text.CopyTo(target);
        target[text.Length] = 0;
        return target[..(text.Length + 1)];
    }

    /// <summary><paramref name="directory"/>/<paramref name="name"/>, for the paths messages and children carry.</summary>
    public static byte[] Join(ReadOnlySpan<byte> directory, ReadOnlySpan<byte> name)
    {
        if (directory.IsEmpty) return name.ToArray();
        if (name.IsEmpty) return directory.ToArray();
        var slash = directory[^1] == (byte)'/' ? 0 : 1;
        var joined = new byte[directory.Length + slash + name.Length];
        directory.CopyTo(joined);
        if (slash == 1) joined[directory.Length] = (byte)'/';
        name.CopyTo(joined.AsSpan(directory.Length + slash));
        return joined;
    }

    /// <summary>utimensat's two timespecs: atime omitted (restore time is as good as any), mtime given; a time before
    /// 1970 rounds its seconds down so the nanoseconds stay positive.</summary>
    internal static void MtimeOnly(Span<LibC.Timespec> times, long mtimeNanoseconds)
    {
        times[0] = new LibC.Timespec { Seconds = 0, Nanoseconds = LibC.UTIME_OMIT };
        times[1] = new LibC.Timespec
        {
            Seconds = Math.DivRem(mtimeNanoseconds, 1_000_000_000, out var rest) - (rest < 0 ? 1 : 0),
            Nanoseconds = rest < 0 ? rest + 1_000_000_000 : rest,
        };
    }
}
