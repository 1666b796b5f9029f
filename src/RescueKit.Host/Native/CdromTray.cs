using RescueKit.Host.Native;
using System.Runtime.InteropServices;

namespace RescueKit.Host.Native;

/// <summary>Opens a drive's tray with the CDROMEJECT ioctl (linux/cdrom.h): busybox has no eject, and a person at the
/// console should not have to hunt for the button.</summary>
public static partial class CdromTray
{
    private const nuint CdromEject = 0x5309;

    /// <summary>False when the tray did not open (no disc, a drive that cannot eject, a disc still in use).</summary>
    public static bool Eject(string device)
    {
        try
        {
            using var handle = File.OpenHandle(device, FileMode.Open, FileAccess.Read);
            return Ioctl((int)handle.DangerousGetHandle(), CdromEject, 0) == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, nuint request, nint argument);
}
