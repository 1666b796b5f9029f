using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Planning;

/// <summary>
/// What makes the restored system boot, after its files are back and before they are unmounted: /dev, /proc and /sys
/// bound into it; the initramfs rebuilt in it when the disks sit behind other controllers than before (its drivers
/// would be the old machine's); BIOS GRUB installed on every disk that had it (every RAID1 member, so either boots); for
/// UEFI, the firmware's boot entries that pointed at a partition of the layout created again (the loader files came
/// back with the ESP's set), in their old order. The UUIDs are kept, so fstab, crypttab, mdadm.conf and grub.cfg need
/// no rewriting.
/// </summary>
internal static class BootSteps
{
    private static readonly string[] Binds = ["/dev", "/proc", "/sys"];

    /// <param name="after">The steps the boot loader needs done first: the extracts.</param>
    /// <returns>The ids of the bind mounts, which the unmount steps must undo first.</returns>
    public static List<string> Add(PlanBuilder plan, HostLayout layout, DiskMapping mapping, DeviceTranslation names,
        RestorePlanOptions options, IReadOnlyList<string> after)
    {
        var boot = layout.BootLoader;
        var root = options.TargetRoot;
        var bios = boot?.Kind == BootLoaderInfo.BiosGrub
            ? boot.InstallDevices.Select(d => names.Translate(d)).OfType<string>().ToList()
            : [];
        var efi = boot?.Kind == BootLoaderInfo.Uefi ? EfiEntries(layout, boot, names) : [];
        var shim = boot?.Kind == BootLoaderInfo.Uefi ? SecureBootChain(layout, boot, names) : null;
        // The initramfs is the restored system's when it restores / (a data disk has none); lsblk's transport (sata,
        // nvme, usb; none for virtio) tells which controllers the disks sit behind.
        var restoresRoot = layout.Filesystems.Any(f => f.MountPoint == "/" && names.Translate(f.Device) is not null);
        var newDrivers = restoresRoot ? mapping.Pairs.Where(p =>
        {
            var source = layout.Disks.First(d => d.Path == p.Source);
            var target = mapping.Targets.First(t => t.Path == p.Target);
            return source.Transport != target.Transport;
        }).ToList() : [];
        if (boot is null) plan.Notes.Add("the layout names no boot loader: none is installed, and the restored system may not boot on its own");
        if (bios.Count == 0 && efi.Count == 0 && shim is null && newDrivers.Count == 0) return [];

        // A backup holds these as empty directories; a layout without / restores none.
        plan.Add("mkdir-binds", RestoreStepKinds.Directory, $"the mount points of {string.Join(", ", Binds)} in {root}",
            ["mkdir", "-p", .. Binds.Select(d => root.TrimEnd('/') + d)], reads: [], makes: [], writes: [], after: after);
        var binds = new List<string>();
        foreach (var dir in Binds)
        {
            var id = $"bind{dir.Replace('/', '-')}";
            plan.Add(id, RestoreStepKinds.Mount, $"{dir} of the rescue system inside the restored one, for the tools run in it",
                ["mount", "-o", "bind", dir, root.TrimEnd('/') + dir], reads: [], makes: [], writes: [], after: ["mkdir-binds"]);
            binds.Add(id);
        }
        if (newDrivers.Count > 0)
        {
            plan.Add("initramfs", RestoreStepKinds.Initramfs,
                $"the restored system's initramfs rebuilt for this machine's disk controllers ({string.Join(", ", newDrivers.Select(p => $"{p.Target} is {mapping.Targets.First(t => t.Path == p.Target).Transport ?? "virtio or unnamed"}, {p.Source} was {layout.Disks.First(d => d.Path == p.Source).Transport ?? "virtio or unnamed"}"))})",
                ["chroot", root, "update-initramfs", "-u", "-k", "all"], reads: [], makes: [], writes: [], after: binds);
        }
        var afterBinds = newDrivers.Count > 0 ? [.. binds, "initramfs"] : binds;
        foreach (var disk in bios)
            plan.Add($"grub-{PlanBuilder.IdOf(disk)}", RestoreStepKinds.BootLoader, $"BIOS GRUB on {disk}",
                ["chroot", root, "grub-install", "--target=i386-pc", disk], reads: [], makes: [], writes: [disk], after: afterBinds);
        if (shim is { } chain)
        {
            // The ESP's files came back from the backup, but GRUB is put there again from the restored system's own
            // packages (shim-signed, grub-efi-amd64-signed), as Debian's grub-install does with --uefi-secure-boot:
            // shim, MOK manager and signed GRUB in EFI/<id>, so the restored machine boots with Secure Boot on. The
            // firmware's entries are made by the efibootmgr steps below, in their old order: --no-nvram.
            plan.Add("grub-efi-secure-boot", RestoreStepKinds.BootLoader,
                $"shim and Debian's signed GRUB in \\EFI\\{chain.BootloaderId} of the ESP {chain.Partition} (the source booted through {chain.Loader}: Secure Boot)",
                ["chroot", root, "grub-install", "--target=x86_64-efi", $"--efi-directory={chain.MountPoint}",
                 $"--bootloader-id={chain.BootloaderId}", "--uefi-secure-boot", "--no-nvram"],
                reads: [], makes: [], writes: [chain.Partition], after: afterBinds);
        }
        if (efi.Count > 0)
        {
            // efibootmgr writes the firmware's variables through efivarfs, which is not always mounted (nor loaded).
            plan.Add("efivarfs", RestoreStepKinds.Mount, "the firmware's variables (efivarfs), for efibootmgr",
                ["sh", "-c", "grep -q ' /sys/firmware/efi/efivars ' /proc/mounts || { modprobe efivarfs 2>/dev/null; mount -t efivarfs efivarfs /sys/firmware/efi/efivars; }"],
                reads: [], makes: [], writes: [], after: after);
            // efibootmgr --create puts the new entry first in BootOrder: the last created ends first. An entry that was
            // not in BootOrder comes back outside it too (--create-only).
            foreach (var (entry, disk, partition) in Enumerable.Reverse(efi))
            {
                var ordered = boot!.BootOrder.Contains(entry.Number);
                plan.Add($"efi-boot-{entry.Number}", RestoreStepKinds.BootLoader,
                    $"UEFI boot entry \"{entry.Label}\" for {entry.LoaderPath} on {DeviceNames.Partition(disk, partition)}{(ordered ? "" : ", outside BootOrder as it was")}",
                    ["efibootmgr", "--quiet", ordered ? "--create" : "--create-only", "--disk", disk,
                     "--part", partition.ToString(System.Globalization.CultureInfo.InvariantCulture), "--label", entry.Label, "--loader", entry.LoaderPath!],
                    reads: [], makes: [], writes: [], after: shim is null ? ["efivarfs"] : ["efivarfs", "grub-efi-secure-boot"]);
            }
        }
        return binds;
    }

    /// <summary>Where the source's ESP was booted through shim (an entry's loader is \EFI\ID\shimx64.efi) and that
    /// ESP is restored and mounted in the target: its partition there, mount point and the EFI/ID directory.</summary>
    private static (string Partition, string MountPoint, string BootloaderId, string Loader)? SecureBootChain(
        HostLayout layout, BootLoaderInfo boot, DeviceTranslation names)
    {
        const string shim = "shimx64.efi";
        var loader = boot.EfiBootEntries.Select(e => e.LoaderPath)
            .FirstOrDefault(p => p is not null && p.Replace('/', '\\').EndsWith("\\" + shim, StringComparison.OrdinalIgnoreCase));
        if (loader is null || boot.Esp is null) return null;
        var parts = loader.Replace('/', '\\').Split('\\', StringSplitOptions.RemoveEmptyEntries);
        // \EFI\debian\shimx64.efi: grub-install puts its files in EFI/<bootloader-id>.
        if (parts.Length != 3 || !parts[0].Equals("EFI", StringComparison.OrdinalIgnoreCase)) return null;
        var mountPoint = layout.Filesystems.FirstOrDefault(f => f.Device == boot.Esp)?.MountPoint;
        var partition = names.Translate(boot.Esp);
        if (mountPoint is null || !mountPoint.StartsWith('/') || partition is null) return null;
        return (partition, mountPoint, parts[1], loader);
    }

    /// <summary>The hard-drive entries on a partition of the layout that is restored, in BootOrder order (the rest after
    /// it), each with the target disk and partition number it now points at.</summary>
    private static List<(EfiBootEntry Entry, string Disk, int Partition)> EfiEntries(HostLayout layout, BootLoaderInfo boot, DeviceTranslation names)
    {
        var byUuid = layout.Disks.SelectMany(d => d.Partitions.Select(p => (Disk: d, Partition: p)))
            .Where(x => x.Partition.Uuid is not null)
            .ToDictionary(x => x.Partition.Uuid!.ToUpperInvariant());
        var order = boot.BootOrder.ToList();
        var result = new List<(EfiBootEntry, string, int)>();
        foreach (var entry in boot.EfiBootEntries
                     .Where(e => e.Kind == EfiBootEntry.HardDrive && e.PartitionUuid is not null && e.LoaderPath is not null)
                     .OrderBy(e => order.IndexOf(e.Number) is var i && i < 0 ? int.MaxValue : i))
        {
            if (!byUuid.TryGetValue(entry.PartitionUuid!.ToUpperInvariant(), out var at)) continue;
            var disk = names.Translate(at.Disk.Path);
            if (disk is null) continue;
            result.Add((entry, disk, at.Partition.Number));
        }
        return result;
    }
}
