using System.Runtime.InteropServices;

namespace RescueKit.Host.Native;

/// <summary>fsync(2) of a directory, so the names created or renamed in it survive a crash: the publish step of a
/// backup relies on it (a renamed manifest or set directory must not vanish after a power cut).</summary>
public static partial class DirectorySync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;
    private const int O_CLOEXEC = 0x80000;

    public static void Sync(string directory)
    {
        var fd = Open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"open {directory}: {Marshal.GetLastPInvokeErrorMessage()}", Marshal.GetLastPInvokeError());
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"fsync {directory}: {Marshal.GetLastPInvokeErrorMessage()}", Marshal.GetLastPInvokeError());
        }
        finally
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
