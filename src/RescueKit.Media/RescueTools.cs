namespace RescueKit.Media;

/// <summary>The programs of DESIGN §5 the rescue system carries, and which of them it cannot do without.</summary>
internal static class RescueTools
{
    /// <summary>Without these the rescue system cannot boot or load drivers: a build without them fails.</summary>
    public static readonly (string Program, string Package)[] Essential =
    [
        ("busybox", "busybox-static"),
        ("kmod", "kmod"),
    ];

    /// <summary>The restore tools: included when the host has them, and named with their package when it does not.</summary>
    public static readonly (string Program, string Package)[] Restore =
    [
        ("mdadm", "mdadm"),
        ("lvm", "lvm2"),
        // LVM runs it on every activation of a thin pool, and refuses the pool when it is configured and missing.
        ("thin_check", "thin-provisioning-tools"),
        ("sfdisk", "fdisk"),
        ("sgdisk", "gdisk"),
        ("wipefs", "util-linux"),
        ("blkid", "util-linux"),
        ("lsblk", "util-linux"),
        ("mkswap", "util-linux"),
        ("mke2fs", "e2fsprogs"),
        ("e2fsck", "e2fsprogs"),
        ("tune2fs", "e2fsprogs"),
        ("mkfs.xfs", "xfsprogs"),
        ("xfs_admin", "xfsprogs"),
        ("mkfs.btrfs", "btrfs-progs"),
        ("btrfs", "btrfs-progs"),
        ("mkfs.fat", "dosfstools"),
        ("fsck.fat", "dosfstools"),
        ("grub-install", "grub2-common"),
        ("efibootmgr", "efibootmgr"),
        ("cryptsetup", "cryptsetup-bin"),
        ("mount.nfs", "nfs-common"),
    ];

    /// <summary>Names the rescue system also answers to, as links to a tool above (mkfs.ext4 → mke2fs).</summary>
    public static readonly (string Alias, string Program)[] Aliases =
    [
        ("modprobe", "kmod"), ("insmod", "kmod"), ("rmmod", "kmod"), ("lsmod", "kmod"), ("modinfo", "kmod"), ("depmod", "kmod"),
        ("mkfs.ext4", "mke2fs"), ("mkfs.ext3", "mke2fs"), ("mkfs.ext2", "mke2fs"), ("fsck.ext4", "e2fsck"),
        ("mkfs.vfat", "mkfs.fat"), ("fsck.vfat", "fsck.fat"),
    ];

    /// <summary>Modules every rescue system carries, so the medium it booted from can be found (CD, USB, virtio, NVMe).</summary>
    public static readonly string[] EssentialModules =
    [
        "sr_mod", "cdrom", "isofs", "sd_mod", "ata_piix", "ata_generic", "ahci", "virtio_pci", "virtio_blk", "virtio_scsi",
        "nvme", "usb_storage", "uas", "xhci_pci", "ehci_pci", "ohci_pci", "uhci_hcd", "vfat", "nls_cp437", "nls_iso8859_1",
        "nls_utf8",
    ];

    /// <summary>
    /// What 20-modules loads before its coldplug passes (RK_ESSENTIAL_MODULES): the drivers of the disks, CDs and USB
    /// sticks a controller driver reports, so that the medium shows up as soon as its controller is probed rather than
    /// one pass later. The controller drivers themselves (ata_piix, ahci, nvme, xhci_pci, virtio_pci, ...) are left to
    /// the coldplug, which loads only those of hardware that is there: each module costs tens of milliseconds to load
    /// under QEMU TCG, and a machine has few of the controllers listed above.
    /// </summary>
    public static readonly string[] PreloadModules = ["sr_mod", "sd_mod", "isofs", "usb_storage", "uas"];
}
