namespace RescueKit.Core;

/// <summary>Which Debian package provides a program, so a missing-tool error can say what to install.</summary>
public static class DebianPackages
{
    private static readonly Dictionary<string, string> ByProgram = new(StringComparer.Ordinal)
    {
        ["busybox"] = "busybox-static",
        ["mdadm"] = "mdadm",
        ["lvm"] = "lvm2",
        ["sfdisk"] = "fdisk",
        ["fdisk"] = "fdisk",
        ["sgdisk"] = "gdisk",
        ["wipefs"] = "util-linux",
        ["blkid"] = "util-linux",
        ["lsblk"] = "util-linux",
        ["mkswap"] = "util-linux",
        ["mkfs.ext4"] = "e2fsprogs",
        ["mkfs.ext3"] = "e2fsprogs",
        ["mkfs.ext2"] = "e2fsprogs",
        ["e2fsck"] = "e2fsprogs",
        ["dumpe2fs"] = "e2fsprogs",
        ["xfs_info"] = "xfsprogs",
        ["btrfs"] = "btrfs-progs",
        ["mkfs.xfs"] = "xfsprogs",
        ["mkfs.btrfs"] = "btrfs-progs",
        ["mkfs.vfat"] = "dosfstools",
        ["mkfs.fat"] = "dosfstools",
        ["fsck.fat"] = "dosfstools",
        ["grub-install"] = "grub2-common",
        ["grub-mkstandalone"] = "grub-common",
        ["grub-mkimage"] = "grub-common",
        ["efibootmgr"] = "efibootmgr",
        ["cryptsetup"] = "cryptsetup-bin",
        ["mount.nfs"] = "nfs-common",
        ["modinfo"] = "kmod",
        ["depmod"] = "kmod",
        ["modprobe"] = "kmod",
        ["xorriso"] = "xorriso",
        ["isoinfo"] = "genisoimage",
        ["bsdtar"] = "libarchive-tools",
        ["cpio"] = "cpio",
        ["mdir"] = "mtools",
        ["mcopy"] = "mtools",
        ["qemu-system-x86_64"] = "qemu-system-x86",
        ["zstd"] = "zstd",
        ["xz"] = "xz-utils",
    };

    /// <summary>The package for <paramref name="program"/> (a bare name or a path), or the name itself as a best guess.</summary>
    public static string For(string program)
    {
        var name = Path.GetFileName(program);
        return ByProgram.TryGetValue(name, out var pkg) ? pkg : name;
    }
}
