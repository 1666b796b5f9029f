using System.Text;
using RescueKit.Core;
using RescueKit.Discovery.Layout;

namespace RescueKit.Backup.Sets;

/// <summary>A filesystem to archive as one set.</summary>
/// <param name="Unmounted">The host does not mount it (a second ESP kept beside the one on /boot/efi): the backup mounts
/// it read-only at a private directory of its own while it archives it, and <paramref name="MountPoint"/> is that
/// directory then (empty before).</param>
public sealed record SourceFilesystem(string Name, string MountPoint, string Device, string FsType, string? Uuid, bool Unmounted = false);

/// <summary>
/// Which filesystems a backup archives (issue 3 "Backup"): every mounted real filesystem — ext2/3/4, xfs, btrfs,
/// vfat — once each (a bind mount of one already chosen is skipped), optionally only those on given devices, their
/// partitions and the devices stacked on them (holders), each named from its mount point.
/// </summary>
public static class FilesystemSelection
{
    public static readonly IReadOnlySet<string> RealFilesystems = new HashSet<string>(StringComparer.Ordinal)
    {
        "ext2", "ext3", "ext4", "xfs", "btrfs", "vfat",
    };

    /// <param name="mounts">/proc/self/mountinfo, parsed.</param>
    /// <param name="devices">Block devices or image files to limit the selection to; empty for every filesystem.</param>
    /// <param name="sysBlock">/sys/class/block, where partitions and holders are found.</param>
    /// <param name="uuidOf">The UUID of a device (from the captured layout), or null.</param>
    /// <param name="deviceInput">What messages call one of <paramref name="devices"/> (the command line: --device).</param>
    public static IReadOnlyList<SourceFilesystem> Select(IReadOnlyList<MountInfoEntry> mounts, IReadOnlyList<string> devices,
        string sysBlock, Func<string, string?> uuidOf, string deviceInput = "device")
    {
        HashSet<string>? wanted = devices.Count == 0 ? null : WantedDevices(devices, sysBlock, deviceInput);
        var chosen = new List<MountInfoEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // A filesystem mounted at its root wins over bind mounts of a directory inside it.
        foreach (var m in mounts.Where(m => RealFilesystems.Contains(m.FsType)).OrderBy(m => m.Root == "/" ? 0 : 1))
        {
            if (wanted is not null && !wanted.Contains($"{m.Major}:{m.Minor}") && !wanted.Contains(KernelName(m.Source) ?? "\0"))
                continue;
            // btrfs subvolumes share the device number but are separate trees.
            var identity = m.FsType == "btrfs" ? $"{m.Major}:{m.Minor}:{m.Root}" : $"{m.Major}:{m.Minor}";
            if (seen.Add(identity)) chosen.Add(m);
        }
        if (wanted is not null && chosen.Count == 0)
            throw new BadInputException(
                $"no mounted ext2/3/4, xfs, btrfs or vfat filesystem is on {string.Join(", ", devices)}: mount it first (a backup archives mounted filesystems)");

        var names = new HashSet<string>(StringComparer.Ordinal);
        return chosen.OrderBy(m => m.MountPoint, StringComparer.Ordinal)
            .Select(m => new SourceFilesystem(UniqueName(SetName(m.MountPoint), names), m.MountPoint, m.Source, m.FsType, uuidOf(m.Source)))
            .ToList();
    }

    /// <summary>
    /// The EFI system partitions of <paramref name="layout"/> the host does not mount, as sets of their own named
    /// esp-KERNELNAME: nothing else has their files, and a restore would leave them empty — a disk that booted from its
    /// own ESP (the second disk of a mirror) would no longer boot alone.
    /// </summary>
    public static IReadOnlyList<SourceFilesystem> UnmountedEsps(Core.Layout.HostLayout layout, IEnumerable<string> takenNames)
    {
        var names = takenNames.ToHashSet(StringComparer.Ordinal);
        var esps = layout.Disks.SelectMany(d => d.Partitions).Where(p => p.IsEfiSystem).Select(p => p.Device).ToHashSet(StringComparer.Ordinal);
        return layout.Filesystems
            .Where(f => f.Type == "vfat" && f.MountPoint is null && esps.Contains(f.Device))
            .Select(f => new SourceFilesystem(UniqueName("esp-" + SetName(Path.GetFileName(f.Device)), names), "", f.Device, f.Type, f.Uuid, Unmounted: true))
            .ToList();
    }

    /// <summary>The set name for a mount point: root for /, boot for /boot, boot-efi for /boot/efi, var-lib-x …</summary>
    public static string SetName(string mountPoint)
    {
        var trimmed = mountPoint.Trim('/');
        if (trimmed.Length == 0) return "root";
        var name = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
            name.Append(c == '/' ? '-' : char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        return name.ToString();
    }

    private static string UniqueName(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++) candidate = $"{name}-{n}";
        return candidate;
    }

    /// <summary>The device numbers (MAJ:MIN) and kernel names of the given devices, their partitions and holders.</summary>
    private static HashSet<string> WantedDevices(IReadOnlyList<string> devices, string sysBlock, string deviceInput)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var device in devices)
        {
            var image = IsImageFile(device);
            var names = image ? LoopDevicesOf(device, sysBlock) : [KernelName(device)];
            if (names.Count == 0 || names[0] is null || !Directory.Exists(Path.Combine(sysBlock, names[0]!)))
                throw new BadInputException(image
                    ? $"{deviceInput} {device} is an image file that no loop device is attached to: run 'losetup --find --show {device}' and mount it"
                    : $"{deviceInput} {device} is not a block device: give a disk, partition or loop device such as /dev/sdb or /dev/loop0");
            foreach (var n in names) queue.Enqueue(n!);
        }
        while (queue.TryDequeue(out var name))
        {
            if (!wanted.Add(name)) continue;
            var dir = Path.Combine(sysBlock, name);
            var dev = Path.Combine(dir, "dev");
            if (File.Exists(dev)) wanted.Add(File.ReadAllText(dev).Trim());
            foreach (var sub in Directory.EnumerateDirectories(dir).Where(d => File.Exists(Path.Combine(d, "partition"))))
                queue.Enqueue(Path.GetFileName(sub));
            var holders = Path.Combine(dir, "holders");
            if (Directory.Exists(holders))
                foreach (var h in Directory.EnumerateFileSystemEntries(holders)) queue.Enqueue(Path.GetFileName(h));
        }
        return wanted;
    }

    /// <summary>The kernel name of a device path (/dev/mapper/vg-lv -> dm-0), following symlinks; null when not under /dev.</summary>
    private static string? KernelName(string device)
    {
        if (!device.StartsWith('/')) return null;
        try
        {
            var target = new FileInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? device;
            return Path.GetFileName(target);
        }
        catch (IOException)
        {
            return Path.GetFileName(device);
        }
    }

    /// <summary>A regular file given as --device: an image, found through the loop device it is attached to.</summary>
    private static bool IsImageFile(string path) => File.Exists(path) && !Path.GetFullPath(path).StartsWith("/dev/", StringComparison.Ordinal);

    private static List<string?> LoopDevicesOf(string image, string sysBlock)
    {
        var full = Path.GetFullPath(image);
        return Directory.EnumerateDirectories(sysBlock, "loop*")
            .Where(d => File.Exists(Path.Combine(d, "loop", "backing_file")) &&
                        File.ReadAllText(Path.Combine(d, "loop", "backing_file")).Trim() == full)
            .Select(d => (string?)Path.GetFileName(d))
            .ToList();
    }
}
