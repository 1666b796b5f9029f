using System.Globalization;
using System.Security.Cryptography;
using RescueKit.Core;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Backup.Targets;

/// <summary>
/// The private mount points under /run/rescuekit/ that a target is mounted on for one command (an NFS export, a USB
/// stick's data partition): made with mode 0700, unmounted (lazily when it is busy or the server is dead) and removed
/// after. Never removed recursively: if the unmount did not happen, the directory is the mounted file system.
/// </summary>
internal static class PrivateMountPoint
{
    public const string MountRoot = "/run/rescuekit";

    private static readonly TimeSpan UnmountTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A new empty directory MountRoot/PREFIX-PID-RANDOM; <paramref name="what"/> names the target in the error.</summary>
    public static string Create(string prefix, string what)
    {
        var path = Path.Combine(MountRoot,
            $"{prefix}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        try
        {
            Directory.CreateDirectory(MountRoot);
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot mount {what}: no mount point can be made in {MountRoot} ({e.Message}): mounting needs root; run rescuekit as root", e);
        }
        return path;
    }

    /// <summary>Unmounts <paramref name="path"/> and removes it, also after a failure or a cancellation (its own deadline, no caller token).</summary>
    public static void Unmount(string path, IToolRunner runner, ILogger log)
    {
        using var deadline = new CancellationTokenSource(UnmountTimeout);
        try
        {
            runner.Run(["umount", path], cancellationToken: deadline.Token);
        }
        catch (Exception e) when (e is ToolFailedException or OperationCanceledException)
        {
            // A dead server (or a process still in the mount): force the outstanding I/O to fail and detach it now,
            // the kernel finishes the unmount when the last user lets go.
            log.Warning("umount {MountPoint} failed ({Error}); forcing a lazy unmount", path, e.Message);
            using var forced = new CancellationTokenSource(UnmountTimeout);
            try
            {
                runner.Run(["umount", "-f", "-l", path], cancellationToken: forced.Token);
            }
            catch (Exception again) when (again is ToolFailedException or OperationCanceledException)
            {
                log.Warning("umount -f -l {MountPoint} failed too ({Error}): unmount it by hand", path, again.Message);
                return;
            }
        }
        Remove(path, log);
    }

    /// <summary>Removes a mount point nothing is mounted on (rmdir: fails rather than deleting what is below).</summary>
    public static void Remove(string path, ILogger log)
    {
        try
        {
            Directory.Delete(path, recursive: false);
        }
        catch (IOException e)
        {
            log.Warning("Could not remove the mount point {MountPoint}: {Error}", path, e.Message);
        }
    }

    /// <summary>A path below <paramref name="mountPoint"/> as the user knows it: <paramref name="display"/>/rest.</summary>
    public static string Describe(string mountPoint, string localPath, string display) =>
        localPath == mountPoint ? display
        : localPath.StartsWith(mountPoint + "/", StringComparison.Ordinal) ? $"{display}/{localPath[(mountPoint.Length + 1)..]}"
        : localPath;

    /// <summary>The same error with the mount point in its message replaced by what the user named the target.</summary>
    public static RescueKitException Translate(string mountPoint, RescueKitException e, string display) =>
        e.Message.Contains(mountPoint, StringComparison.Ordinal)
            ? new RescueKitException(e.Message.Replace(mountPoint, display, StringComparison.Ordinal), e.ExitCode, e)
            : e;
}
