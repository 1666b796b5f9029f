namespace RescueKit.Core.Layout;

/// <summary>
/// One place a filesystem of the layout is mounted: the filesystem at its mount point, or one of its btrfs subvolumes
/// mounted on its own (<c>subvol=</c>, as installers lay out / and /home). A backup has a set per such mount, and the
/// restore, compare and mount-target mount them the same way again.
/// </summary>
/// <param name="Subvolume">The subvolume's path from the top level (for <c>mount -o subvol=</c>); null for the
/// filesystem's own mount.</param>
public sealed record FilesystemMount(FilesystemInfo Filesystem, string MountPoint, string? Subvolume)
{
    /// <summary>Every mount of <paramref name="fs"/>: its own (unless that is a subvolume's), then its subvolumes'.</summary>
    public static IReadOnlyList<FilesystemMount> Of(FilesystemInfo fs)
    {
        var mounts = (fs.Btrfs?.Subvolumes ?? []).Where(v => v.MountPoint is not null)
            .Select(v => new FilesystemMount(fs, v.MountPoint!, v.Path)).ToList();
        if (fs.MountPoint is { } own && mounts.All(m => m.MountPoint != own)) mounts.Insert(0, new FilesystemMount(fs, own, null));
        return mounts;
    }

    /// <summary>Every mount of every filesystem of <paramref name="layout"/>.</summary>
    public static IReadOnlyList<FilesystemMount> Of(HostLayout layout) => layout.Filesystems.SelectMany(Of).ToList();

    /// <summary>The options `mount -o` needs beyond the caller's own: the subvolume's; for the filesystem's own mount
    /// of a btrfs whose default subvolume is not the top level, the top level (which a plain mount would not give).</summary>
    public IReadOnlyList<string> Options =>
        Subvolume is not null ? [$"subvol=/{Subvolume}"]
        : Filesystem.Btrfs?.DefaultSubvolume is not null ? ["subvolid=5"]
        : [];
}
