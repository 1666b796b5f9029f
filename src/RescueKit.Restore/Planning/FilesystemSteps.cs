using System.Globalization;
using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;

namespace RescueKit.Restore.Planning;

/// <summary>mkfs and mkswap with the UUIDs, labels and features the layout recorded.</summary>
internal static class FilesystemSteps
{
    /// <summary>ext features dumpe2fs lists that describe the filesystem's state, not an mkfs choice.</summary>
    private static readonly HashSet<string> ExtStateFeatures = ["needs_recovery", "orphan_present"];

    /// <summary>The xfs -m features xfs_info reports as 0 or 1 (absent from the layout means 0).</summary>
    private static readonly string[] XfsMetadataFeatures = ["crc", "finobt", "rmapbt", "reflink", "bigtime", "inobtcount"];

    public static void Add(PlanBuilder plan, HostLayout layout, DeviceTranslation names, ResizePlan resize, RestorePlanOptions options)
    {
        foreach (var fs in layout.Filesystems)
        {
            var device = names.Translate(fs.Device);
            if (device is null)
            {
                plan.Notes.Add($"the {fs.Type} filesystem of {fs.Device}{(fs.MountPoint is null ? "" : $" ({fs.MountPoint})")} is not recreated: it is on a disk that is not restored");
                continue;
            }
            var argv = Mkfs(fs, device, InodeCount(fs, resize, options))
                ?? throw new RescueKitException($"the filesystem on {fs.Device} is {fs.Type}, which this rescuekit cannot recreate (ext2/3/4, xfs, btrfs and vfat it can)", ExitCodes.Failed);
            plan.Add($"mkfs-{PlanBuilder.IdOf(device)}", RestoreStepKinds.Filesystem,
                $"{fs.Type} on {device}{(fs.MountPoint is null ? "" : $" for {fs.MountPoint}")}{(fs.Uuid is null ? "" : $" (UUID {fs.Uuid})")}"
                + (resize.Change(fs.Device) is { } change ? $", {change}" : ""),
                argv, reads: [device], makes: [$"fs:{device}"], writes: [device]);
        }
        foreach (var swap in layout.Swaps.Where(s => s.Kind == "partition"))
        {
            var device = names.Translate(swap.Device);
            if (device is null) continue;
            List<string> argv = ["mkswap"];
            if (swap.Uuid is { } uuid) argv.AddRange(["-U", uuid]);
            if (swap.Label is { } label) argv.AddRange(["-L", label]);
            argv.Add(device);
            plan.Add($"mkswap-{PlanBuilder.IdOf(device)}", RestoreStepKinds.Swap, $"swap on {device}", argv,
                reads: [device], makes: [], writes: [device]);
        }
    }

    /// <summary>
    /// The ext inode count for the filesystem's new size. mkfs fills the device whatever its size, but -N is a count:
    /// kept as it was, it would leave a grown filesystem short of inodes and make mke2fs refuse a much smaller one. So
    /// it keeps its bytes per inode, and never falls below what the set's entries need.
    /// </summary>
    private static long? InodeCount(FilesystemInfo fs, ResizePlan resize, RestorePlanOptions options)
    {
        if (fs.Ext?.InodeCount is not { } inodes) return null;
        if (resize.Sizes.Old(fs.Device) is not { } old || resize.Sizes.New(fs.Device) is not { } now || old == now || old == 0) return inodes;
        var scaled = (long)(inodes * ((double)now / old));
        var entries = DataFit.DataOf(fs, options)?.Entries ?? 0;
        return Math.Max(scaled, entries + entries / 10 + 1024);
    }

    private static List<string>? Mkfs(FilesystemInfo fs, string device, long? inodeCount)
    {
        string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
        switch (fs.Type)
        {
            case "ext2" or "ext3" or "ext4":
            {
                List<string> argv = ["mke2fs", "-F", "-q", "-t", fs.Type];
                if (fs.Uuid is { } uuid) argv.AddRange(["-U", uuid]);
                if (fs.Label is { } label) argv.AddRange(["-L", label]);
                if (fs.Ext is { } ext)
                {
                    argv.AddRange(["-b", Text(ext.BlockSize), "-I", Text(ext.InodeSize)]);
                    if (inodeCount is { } inodes) argv.AddRange(["-N", inodes.ToString(CultureInfo.InvariantCulture)]);
                    var features = ext.Features.Where(f => !ExtStateFeatures.Contains(f)).ToList();
                    // "none" first: exactly the features the filesystem had, not mke2fs.conf's defaults plus them.
                    if (features.Count > 0) argv.AddRange(["-O", string.Join(',', features.Prepend("none"))]);
                }
                argv.Add(device);
                return argv;
            }
            case "xfs":
            {
                List<string> argv = ["mkfs.xfs", "-f", "-q"];
                var meta = new List<string>();
                if (fs.Uuid is { } uuid) meta.Add($"uuid={uuid}");
                if (fs.Xfs is { } xfs)
                {
                    meta.AddRange(XfsMetadataFeatures.Select(f => $"{f}={(xfs.Features.Contains(f) ? 1 : 0)}"));
                    argv.AddRange(["-b", $"size={Text(xfs.BlockSize)}"]);
                    if (xfs.SectorSize is { } sector) argv.AddRange(["-s", $"size={Text(sector)}"]);
                    var inode = new List<string>();
                    if (xfs.InodeSize is { } isize) inode.Add($"size={Text(isize)}");
                    inode.Add($"sparse={(xfs.Features.Contains("sparse") ? 1 : 0)}");
                    argv.AddRange(["-i", string.Join(',', inode)]);
                }
                if (meta.Count > 0) argv.AddRange(["-m", string.Join(',', meta)]);
                if (fs.Label is { } label) argv.AddRange(["-L", label]);
                argv.Add(device);
                return argv;
            }
            case "btrfs":
            {
                List<string> argv = ["mkfs.btrfs", "-f", "-q"];
                if (fs.Uuid is { } uuid) argv.AddRange(["-U", uuid]);
                if (fs.Label is { } label) argv.AddRange(["-L", label]);
                argv.Add(device);
                return argv;
            }
            case "vfat":
            {
                List<string> argv = ["mkfs.fat"];
                if (fs.Vfat?.FatSize is { } fat) argv.AddRange(["-F", Text(fat)]);
                if (fs.Vfat?.VolumeId is { } id) argv.AddRange(["-i", id]);
                if (fs.Label is { } label) argv.AddRange(["-n", label]);
                argv.Add(device);
                return argv;
            }
            default:
                return null;
        }
    }
}
