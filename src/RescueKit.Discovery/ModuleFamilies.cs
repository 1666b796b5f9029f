namespace RescueKit.Discovery;

/// <summary>
/// The module families of <see cref="ModuleSelection.Host"/>, as prefixes of paths in modules.dep: what a rescue
/// system needs to see disks, read filesystems, assemble RAID and device-mapper volumes, reach the network, take
/// input from a USB keyboard and run in a virtual machine, whatever hardware it boots on (DESIGN §5).
/// </summary>
internal static class ModuleFamilies
{
    public static readonly IReadOnlyList<string> Storage =
    [
        "kernel/drivers/ata/", "kernel/drivers/scsi/", "kernel/drivers/nvme/", "kernel/drivers/block/",
        "kernel/drivers/usb/storage/", "kernel/drivers/mmc/", "kernel/drivers/cdrom/",
    ];

    public static readonly IReadOnlyList<string> Filesystems =
    [
        "kernel/fs/ext4/", "kernel/fs/jbd2/", "kernel/fs/xfs/", "kernel/fs/btrfs/", "kernel/fs/fat/", "kernel/fs/isofs/",
        "kernel/fs/nls/", "kernel/fs/nfs/", "kernel/fs/nfs_common/", "kernel/fs/lockd/", "kernel/net/sunrpc/",
        "kernel/fs/9p/", "kernel/net/9p/",
        // The firmware's variables: efibootmgr on restore, the Secure Boot state (SecureBoot-* in efivarfs).
        "kernel/fs/efivarfs/",
    ];

    public static readonly IReadOnlyList<string> RaidAndDeviceMapper = ["kernel/drivers/md/"];

    public static readonly IReadOnlyList<string> Network =
    [
        "kernel/drivers/net/ethernet/", "kernel/drivers/net/phy/", "kernel/drivers/net/mdio/", "kernel/drivers/net/mii.ko",
        "kernel/drivers/net/virtio_net.ko", "kernel/drivers/net/vmxnet3/", "kernel/drivers/net/hyperv/",
        "kernel/drivers/net/xen-netfront.ko",
    ];

    public static readonly IReadOnlyList<string> UsbAndHid =
    [
        "kernel/drivers/usb/core/", "kernel/drivers/usb/common/", "kernel/drivers/usb/host/", "kernel/drivers/hid/",
    ];

    public static readonly IReadOnlyList<string> Virtio = ["kernel/drivers/virtio/", "kernel/drivers/char/virtio_console.ko"];

    public static readonly IReadOnlyList<string> Crypto = ["kernel/crypto/", "kernel/arch/x86/crypto/"];

    public static readonly IReadOnlyList<string> All =
        [.. Storage, .. Filesystems, .. RaidAndDeviceMapper, .. Network, .. UsbAndHid, .. Virtio, .. Crypto];

    /// <summary>True when the modules.dep path belongs to one of the families.</summary>
    public static bool Contains(string relativePath) =>
        All.Any(prefix => relativePath.StartsWith(prefix, StringComparison.Ordinal));
}
