using RescueKit.Discovery.Layout;

namespace RescueKit.Restore.Mapping;

/// <summary>
/// A whole disk of the machine being restored, as lsblk reports it, and why it must not be written when it must not
/// (<see cref="Refused"/>: the medium the rescue system booted from, the disk holding the backup, a disk in use).
/// </summary>
public sealed record TargetDisk(string Path, long Size, string? Model, string? Serial, string? Wwn, string? Transport)
{
    /// <summary>Why this disk is never a candidate; null when it may be written.</summary>
    public string? Refused { get; init; }

    /// <summary>"/dev/vda 20.0 GiB virtio QEMU HARDDISK (serial X)", as a person looking for the right disk reads it.</summary>
    public string Describe() => string.Join(' ', new[]
    {
        Path, Core.Backup.ByteSize.Format(Size), Transport, Model, Serial is null ? null : $"(serial {Serial})",
    }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>
    /// The disks of <paramref name="devices"/> (`lsblk -J -b -O`): type "disk" with a medium (size above 0). A disk is
    /// refused when it holds, or is, one of <paramref name="protectedDevices"/> (device → why: the rescue medium, the
    /// backup) or when anything on it is mounted, but for the restore's own mounts under the target root (a stopped
    /// restore being resumed has them).
    /// </summary>
    public static IReadOnlyList<TargetDisk> From(IReadOnlyList<LsblkDevice> devices, IReadOnlyDictionary<string, string> protectedDevices)
    {
        static bool InUse(string? mountPoint) => !string.IsNullOrEmpty(mountPoint)
            && mountPoint != Core.RescuePaths.TargetRoot && !mountPoint.StartsWith(Core.RescuePaths.TargetRoot + "/", StringComparison.Ordinal);
        var result = new List<TargetDisk>();
        foreach (var disk in devices.Where(d => d.Type == "disk" && d.Size > 0))
        {
            var all = disk.SelfAndDescendants().ToList();
            var refused = all.Select(d => protectedDevices.GetValueOrDefault(d.Path)).FirstOrDefault(r => r is not null);
            if (refused is null && all.FirstOrDefault(d => d.MountPoints.Any(InUse)) is { } mounted)
                refused = $"{mounted.Path} is mounted on {mounted.MountPoints.First(InUse)}";
            result.Add(new TargetDisk(disk.Path, disk.Size, disk.Model, disk.Serial, disk.Wwn, disk.Transport) { Refused = refused });
        }
        return result;
    }
}
