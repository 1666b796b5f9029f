using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

// The boot loader: UEFI (ESP and NVRAM entries) or BIOS GRUB (the disks whose boot sector holds it).
public sealed partial class LayoutCapture
{
    // UEFI spec §5.3.3 (EFI System Partition GUID); MBR type 0xEF.

    private const string EfiFirmwareDirectory = "/sys/firmware/efi";

    private BootLoaderInfo? BootLoader(Session session, IReadOnlyList<DiskInfo> disks, IReadOnlyList<FilesystemInfo> filesystems)
    {
        var esps = disks.SelectMany(d => d.Partitions)
            .Where(p => p.IsEfiSystem)
            .Select(p => p.Device).ToList();
        var esp = filesystems.FirstOrDefault(f => esps.Contains(f.Device) && f.MountPoint is "/boot/efi" or "/efi" or "/boot")?.Device
                  ?? esps.FirstOrDefault();

        if (session.WholeHost && _files.DirectoryExists(EfiFirmwareDirectory))
        {
            var text = RunOptional(session, ["efibootmgr", "-v"], "the UEFI boot entries");
            var config = ParseOptional(session, text, EfiBootMgr.Parse, "the UEFI boot entries");
            return new BootLoaderInfo
            {
                Kind = BootLoaderInfo.Uefi,
                Esp = esp,
                BootOrder = config?.BootOrder ?? [],
                BootCurrent = config?.BootCurrent,
                Timeout = config?.Timeout,
                EfiBootEntries = config?.Entries ?? [],
            };
        }

        var grubDisks = disks.Where(d => HasGrubBootSector(d.Path)).Select(d => d.Path).ToArray();
        if (grubDisks.Length > 0)
            return new BootLoaderInfo { Kind = BootLoaderInfo.BiosGrub, InstallDevices = grubDisks, Esp = esp };
        // A disk set or image with an ESP boots UEFI; its NVRAM entries live in a firmware that is not this host's.
        if (esp is not null) return new BootLoaderInfo { Kind = BootLoaderInfo.Uefi, Esp = esp };
        Note(session, "no boot loader found: no GRUB boot sector and no EFI system partition on the captured disks");
        return null;
    }

    /// <summary>GRUB's boot.img, written to sector 0 by grub-install for BIOS, carries the text "GRUB" (before its
    /// "Geom", "Hard Disk", "Read", " Error" messages).</summary>
    private bool HasGrubBootSector(string disk)
    {
        var sector = _files.ReadStart(disk, 512);
        return sector is not null && sector.AsSpan().IndexOf("GRUB"u8) >= 0;
    }
}
