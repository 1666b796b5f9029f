using System.Globalization;
using RescueKit.Core;
using RescueKit.Host;

namespace RescueKit.Backup.Nfs;

/// <summary>
/// Turns a failed mount of an NFS target into one error naming the cause and the fix (DESIGN §2 "Clear errors"),
/// from the errno text mount.nfs prints (nfs-utils' mount_error: "mount.nfs4: Connection refused"). Exit codes
/// follow the directory target: a target that cannot be used as given (no such export, refused to this client, not
/// writable) is <see cref="ExitCodes.BadInput"/> like an unwritable --to directory; a server that does not answer now
/// is <see cref="ExitCodes.Failed"/> like a full target, since the same command can work later; a host without the
/// client is <see cref="ExitCodes.MissingPrerequisite"/>.
/// </summary>
internal static class NfsMountFailure
{
    public enum Reason
    {
        /// <summary>The kernel has no NFS filesystem (mount(2) gave ENODEV).</summary>
        NoKernelClient,
        /// <summary>mount has no mount.nfs helper to call.</summary>
        NoMountHelper,
        /// <summary>The server does not speak the NFS version asked for.</summary>
        VersionNotSupported,
        NoSuchExport,
        AccessDenied,
        ConnectionRefused,
        Unreachable,
        UnknownHost,
        ReadOnly,
        NotRoot,
    }

    // Matched in this order against mount's stderr, case-insensitively.
    private static readonly (string Text, Reason Reason)[] Patterns =
    [
        ("no such device", Reason.NoKernelClient),
        ("unknown filesystem type", Reason.NoKernelClient),
        ("helper program", Reason.NoMountHelper),
        ("protocol not supported", Reason.VersionNotSupported),
        ("requested nfs version or transport protocol is not supported", Reason.VersionNotSupported),
        ("no such file or directory", Reason.NoSuchExport),
        ("access denied", Reason.AccessDenied),
        ("permission denied", Reason.AccessDenied),
        ("connection refused", Reason.ConnectionRefused),
        ("no route to host", Reason.Unreachable),
        ("network is unreachable", Reason.Unreachable),
        ("timed out", Reason.Unreachable),
        ("failed to resolve server", Reason.UnknownHost),
        ("name or service not known", Reason.UnknownHost),
        ("read-only file system", Reason.ReadOnly),
        ("operation not permitted", Reason.NotRoot),
        ("only root can", Reason.NotRoot),
    ];

    /// <summary>The cause mount's stderr names, or null when it names none of the known ones.</summary>
    public static Reason? Classify(string standardError)
    {
        foreach (var (text, reason) in Patterns)
            if (standardError.Contains(text, StringComparison.OrdinalIgnoreCase)) return reason;
        return null;
    }

    /// <summary>The error for a failed mount of <paramref name="url"/>.</summary>
    public static RescueKitException Exception(ToolFailedException failed, NfsUrl url)
    {
        var said = failed.Result.StandardError.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "no message";
        var server = url.Host + (url.Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "");
        return Classify(failed.Result.StandardError) switch
        {
            Reason.NoKernelClient => new RescueKitException(
                $"cannot mount {url}: this kernel has no NFS client ({said}): load it with 'modprobe nfsv4' or boot a kernel with NFS support",
                ExitCodes.MissingPrerequisite, failed),
            Reason.NoMountHelper => new MissingPrerequisiteException("mount.nfs (the NFS client, needed for " + url + ")",
                DebianPackages.For("mount.nfs"), said),
            Reason.VersionNotSupported => new BadInputException(
                $"cannot mount {url}: the server speaks neither NFSv4 nor NFSv3 over TCP ({said}): enable NFSv4 on the server", failed),
            Reason.NoSuchExport => new BadInputException(
                $"cannot mount {url}: the server has no export or directory {url.Path} ({said}): create it on the server or fix the path", failed),
            Reason.AccessDenied => new BadInputException(
                $"cannot mount {url}: the server refuses to export {url.Path} to this machine ({said}): allow this client in the server's exports", failed),
            Reason.ConnectionRefused => new RescueKitException(
                $"cannot mount {url}: nothing serves NFS on {server} ({said}): start the NFS server, or give its port as nfs://HOST:PORT/...",
                ExitCodes.Failed, failed),
            Reason.Unreachable => new RescueKitException(
                $"cannot mount {url}: the NFS server {url.Host} is unreachable ({said}): check the address, the network and that the server is up, then try again",
                ExitCodes.Failed, failed),
            Reason.UnknownHost => new BadInputException(
                $"cannot mount {url}: the server name {url.Host} does not resolve ({said}): fix the name or give its address", failed),
            Reason.ReadOnly => new BadInputException(
                $"cannot mount {url} read-write: the server exports it read-only ({said}): export it rw or give another target", failed),
            Reason.NotRoot => new BadInputException($"cannot mount {url}: mounting NFS needs root ({said}): run rescuekit as root", failed),
            _ => new RescueKitException($"cannot mount {url}: {failed.Message}", ExitCodes.Failed, failed),
        };
    }

    /// <summary>The error for a mount that was still waiting for the server after <paramref name="waited"/>.</summary>
    public static RescueKitException NoAnswer(NfsUrl url, TimeSpan waited) => new(
        $"cannot mount {url}: the NFS server {url.Host} did not answer within {waited.TotalSeconds:0} s: check the address, the network and that the server is up, then try again",
        ExitCodes.Failed);
}
