using System.Runtime.InteropServices;

namespace RescueKit.Host.Native;

/// <summary>
/// The size the kernel keeps for a terminal (TIOCGWINSZ / TIOCSWINSZ, asm-generic/ioctls.h). A serial console starts
/// at 0x0, as nothing on the line tells the kernel its size; a full-screen program then has no screen to draw on.
/// </summary>
public static partial class TerminalSize
{
    private const nuint TIOCGWINSZ = 0x5413;
    private const nuint TIOCSWINSZ = 0x5414;

    [StructLayout(LayoutKind.Sequential)]
    private struct Winsize
    {
        public ushort Rows, Columns, XPixels, YPixels;
    }

    /// <summary>Gives standard output's terminal <paramref name="columns"/> x <paramref name="rows"/> when it says it
    /// has no size; true when it did.</summary>
    public static bool SetWhenUnknown(ushort columns, ushort rows)
    {
        var size = new Winsize();
        if (Ioctl(1, TIOCGWINSZ, ref size) != 0 || (size.Rows != 0 && size.Columns != 0)) return false;
        size = new Winsize { Rows = rows, Columns = columns };
        return Ioctl(1, TIOCSWINSZ, ref size) == 0;
    }

    [LibraryImport("libc.so.6", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, nuint request, ref Winsize size);
}
