using RescueKit.Core;

namespace RescueKit.Backup.Sets;

/// <summary>Turns an I/O error on the backup target into one clear error (DESIGN §2 "Clear errors").</summary>
internal static class TargetFailure
{
    // errno values .NET puts in IOException.HResult on Linux, and the Win32 codes it maps some of them to.
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int Erofs = 30;
    private const int Eacces = 13;
    private static readonly int DiskFullWin32 = unchecked((int)0x80070070);

    public static RescueKitException Writing(Exception e, string path) => e switch
    {
        IOException io when io.HResult is Enospc or Edquot || io.HResult == DiskFullWin32 ||
                            io.Message.Contains("No space left", StringComparison.Ordinal) =>
            new BackupTargetFullException(
                $"the backup target is full (writing {path}): free space there or choose another target; earlier backups are untouched", e),
        _ => new RescueKitException($"writing the backup failed at {path}: {e.Message}", ExitCodes.Failed, e),
    };

    /// <summary>The target cannot be written at all (read-only, permissions): a bad target.</summary>
    public static RescueKitException Unwritable(Exception e, string path) =>
        e is IOException { HResult: Enospc } ? Writing(e, path)
        : new BadInputException($"cannot write to the backup target {path} ({Reason(e)}): choose a writable target", e);

    private static string Reason(Exception e) => e switch
    {
        IOException { HResult: Erofs } => "read-only file system",
        UnauthorizedAccessException or IOException { HResult: Eacces } => "permission denied",
        _ => e.Message,
    };
}
