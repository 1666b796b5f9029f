using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Host;

namespace RescueKit.Restore.Modes;

/// <summary>
/// The system on this machine's disks mounted under one root as the layout has it, and unmounted again: what compare
/// mode reads (read-only) and what `rescuekit mount-target` gives an expert. Arrays are assembled and volume groups
/// activated first; each filesystem is found by its UUID, which a restore keeps, so the same works on the disks of
/// the machine before it died and on the disks a nuke just wrote, whatever their names are now.
/// </summary>
public sealed class TargetMounts(IToolRunner runner)
{
    /// <summary>One filesystem mounted: its mount point in the layout, the device it was found on, where it is now.</summary>
    public sealed record Mounted(string MountPoint, string Device, string Directory);

    /// <summary>Mounts every filesystem of <paramref name="layout"/> that has a mount point, parents first.</summary>
    /// <exception cref="RescueKitException">A filesystem is not on any disk here, or a mount failed; what was mounted
    /// before it is unmounted again.</exception>
    public IReadOnlyList<Mounted> Mount(HostLayout layout, string root, bool readOnly)
    {
        if (layout.MdArrays.Count > 0)
            // Exit 1 or 2: nothing (more) to assemble, the arrays udev or an earlier run assembled are already up.
            runner.Run(["mdadm", "--assemble", "--scan", "--run"], allowedExitCodes: [1, 2]);
        foreach (var vg in layout.Lvm.VolumeGroups)
            runner.Run(["lvm", "vgchange", "--activate", "y", vg.Name], allowedExitCodes: [5]);

        var mounted = new List<Mounted>();
        try
        {
            foreach (var mount in Mountable(layout))
                mounted.Add(MountAt(mount.Filesystem, mount.MountPoint, mount.MountPoint == "/" ? root : Path.Join(root, mount.MountPoint),
                    string.Join(',', [Options(mount.Filesystem, readOnly), .. mount.Options])));
        }
        catch
        {
            foreach (var m in Enumerable.Reverse(mounted)) runner.Run(["umount", m.Directory], allowedExitCodes: [1, 32]);
            throw;
        }
        return mounted;
    }

    /// <summary>Mounts one filesystem of the layout that has no mount point (an ESP the host did not mount) at
    /// <paramref name="directory"/>, found by its UUID as the others are.</summary>
    public Mounted MountAside(FilesystemInfo fs, string directory, bool readOnly) => MountAt(fs, "", directory, Options(fs, readOnly));

    /// <summary><paramref name="fs"/>, found by its UUID, mounted on <paramref name="directory"/> with <paramref name="options"/>.</summary>
    private Mounted MountAt(FilesystemInfo fs, string mountPoint, string directory, string options)
    {
        var device = Find(fs);
        Directory.CreateDirectory(directory);
        runner.Run(["mount", "-t", fs.Type, "-o", options, device, directory]);
        return new Mounted(mountPoint, device, directory);
    }

    /// <summary>Unmounts everything mounted at or under <paramref name="root"/>, deepest first; returns the directories.</summary>
    public IReadOnlyList<string> Unmount(string root, string mountsFile = "/proc/mounts")
    {
        var full = Path.GetFullPath(root).TrimEnd('/');
        var under = File.ReadLines(mountsFile)
            .Select(line => line.Split(' '))
            .Where(f => f.Length > 2)
            .Select(f => Unescape(f[1]))
            .Where(dir => dir == full || dir.StartsWith(full + "/", StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(dir => dir.Count(c => c == '/')).ThenByDescending(dir => dir, StringComparer.Ordinal)
            .ToList();
        foreach (var dir in under) runner.Run(["umount", dir]);
        return under;
    }

    /// <summary>The mounts of the layout's filesystems (btrfs subvolumes mounted on their own included), / before
    /// /boot before /boot/efi.</summary>
    public static IReadOnlyList<FilesystemMount> Mountable(HostLayout layout) =>
        FilesystemMount.Of(layout).Where(m => m.MountPoint.StartsWith('/') && m.Filesystem.Type != "swap")
            .InMountOrder(m => m.MountPoint)
            .ToList();

    private string Find(FilesystemInfo fs)
    {
        if (fs.Uuid is { Length: > 0 } uuid)
        {
            var found = runner.Run(["blkid", "--uuid", uuid], allowedExitCodes: [2]).StandardOutput.Trim();
            if (found.Length > 0) return found.Split('\n')[0].Trim();
            throw new RescueKitException(
                $"the filesystem of {fs.MountPoint ?? fs.Device} (UUID {uuid}, {fs.Type} on {fs.Device} in the layout) is on no disk here: restore it first, or attach its disk",
                ExitCodes.BadInput);
        }
        if (File.Exists(fs.Device)) return fs.Device;
        throw new RescueKitException($"the filesystem of {fs.MountPoint ?? fs.Device} has no UUID in the layout and {fs.Device} is not here", ExitCodes.BadInput);
    }

    /// <summary>
    /// The mount options: ro, and for journaling filesystems no replay of the journal either, since compare must not
    /// change the disks it reads (an unclean ext4 or xfs would otherwise be written on mount). Of the layout's own
    /// options only those that change what a reader sees of the files are kept: FAT has no owners or modes, so those
    /// come from the mount (fmask=0077 on an ESP), and a backup of it holds them as mounted. The others (iocharset=,
    /// codepage=) would need NLS modules the rescue system may not carry.
    /// </summary>
    public static string Options(FilesystemInfo fs, bool readOnly)
    {
        var options = new List<string> { readOnly ? "ro" : "rw" };
        if (readOnly && fs.Type is "ext3" or "ext4") options.Add("noload");
        if (readOnly && fs.Type == "xfs") options.Add("norecovery");
        if (fs.Type is "vfat" or "msdos")
            options.AddRange((fs.MountOptions ?? "").Split(',').Where(o =>
                o.StartsWith("fmask=", StringComparison.Ordinal) || o.StartsWith("dmask=", StringComparison.Ordinal) ||
                o.StartsWith("umask=", StringComparison.Ordinal) || o.StartsWith("uid=", StringComparison.Ordinal) ||
                o.StartsWith("gid=", StringComparison.Ordinal)));
        return string.Join(',', options);
    }

    /// <summary>/proc/mounts writes a space, tab, newline and backslash in a path as an octal escape.</summary>
    internal static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
