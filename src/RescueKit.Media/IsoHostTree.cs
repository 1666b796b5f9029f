using RescueKit.Formats.Iso9660;
using RescueKit.Host.Native;

namespace RescueKit.Media;

/// <summary>A host directory copied into an ISO: the writer in Formats reads no host, so the walk comes from Host.</summary>
public static class IsoHostTree
{
    /// <summary>
    /// Adds everything below <paramref name="hostDirectory"/> under <paramref name="isoPrefix"/> without following
    /// symlinks: directories, regular files (streamed at write time), symlinks and character/block devices, with
    /// their permissions, uid, gid and mtime. Sockets and FIFOs are skipped; hard links become separate files. The
    /// prefix directory itself takes the metadata of <paramref name="hostDirectory"/>.
    /// </summary>
    public static void AddHostTree(this IsoBuilder iso, string hostDirectory, string isoPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(hostDirectory);
        var top = Path.GetFullPath(hostDirectory);
        var topStatus = HostTree.Lstat(top);
        if (topStatus.Kind != FileKind.Directory)
            throw new ArgumentException($"'{hostDirectory}' is not a directory", nameof(hostDirectory));
        var prefix = isoPrefix.Trim('/');
        iso.AddDirectory(isoPrefix, Meta(topStatus));
        foreach (var entry in HostTree.Walk(top))
        {
            var path = prefix.Length == 0 ? entry.RelativePath : prefix + "/" + entry.RelativePath;
            var meta = Meta(entry.Status);
            switch (entry.Status.Kind)
            {
                case FileKind.Directory: iso.AddDirectory(path, meta); break;
                case FileKind.Regular: iso.AddFile(path, Path.Combine(top, entry.RelativePath), meta); break;
                case FileKind.Symlink: iso.AddSymlink(path, entry.LinkTarget!, meta); break;
                case FileKind.CharacterDevice or FileKind.BlockDevice:
                    iso.AddDevice(path, entry.Status.Kind == FileKind.BlockDevice, (int)entry.Status.RdevMajor,
                        (int)entry.Status.RdevMinor, meta);
                    break;
            }
        }
    }

    private static UnixMetadata Meta(in FileStatus status) => new((int)status.Mode, (int)status.Uid, (int)status.Gid,
        DateTimeOffset.FromUnixTimeSeconds(Math.DivRem(status.MtimeNanoseconds, 1_000_000_000, out var rest) - (rest < 0 ? 1 : 0)));
}
