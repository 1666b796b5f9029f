using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Tests.Layout;

public class MountlistTests
{
    [Test]
    public void EveryDeviceWithWhatItHolds_InDeviceOrder_SizedFromItsPartition()
    {
        var layout = new HostLayout
        {
            ToolVersion = "test",
            CapturedAt = DateTimeOffset.UnixEpoch,
            Disks =
            [
                new DiskInfo { Path = "/dev/sda", Size = 8L << 30, Partitions =
                [
                    new PartitionInfo { Number = 2, Device = "/dev/sda2", Start = 2048, SizeSectors = 2048, Type = "t" },
                    new PartitionInfo { Number = 10, Device = "/dev/sda10", Start = 4096, SizeSectors = 4096, Type = "t" },
                ] },
            ],
            MdArrays = [new MdArray { Device = "/dev/md0", Level = "raid1", Uuid = "u-md", RaidDevices = 1, Members = [new MdMember("/dev/sda10", 0)] }],
            Lvm = new LvmLayout { PhysicalVolumes = [new LvmPhysicalVolume { Device = "/dev/md0", Uuid = "u-pv", Size = 1 << 20 }] },
            Swaps = [new SwapInfo { Device = "/dev/sda2", Uuid = "u-swap", Active = false }],
            Filesystems = [new FilesystemInfo { Device = "/dev/mapper/vg0-root", Type = "ext4", Label = "root", Uuid = "u-root" }],
        };

        Assert.That(Mountlist.Of(layout), Is.EqualTo(new[]
        {
            new MountlistEntry(MountlistRole.Filesystem, "/dev/mapper/vg0-root", null, "ext4", null, "root", "u-root"),
            new MountlistEntry(MountlistRole.PhysicalVolume, "/dev/md0", "lvm", "lvm pv (no VG)", 1 << 20, null, "u-pv"),
            new MountlistEntry(MountlistRole.Swap, "/dev/sda2", "swap", "swap (off)", 2048 * 512, null, "u-swap"),
            new MountlistEntry(MountlistRole.RaidMember, "/dev/sda10", "raid", "/dev/md0 raid1", 4096 * 512, null, "u-md"),
        }));
    }
}
