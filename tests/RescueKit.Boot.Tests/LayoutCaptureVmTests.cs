using System.Text.Json;
using NUnit.Framework;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// `rescuekit layout save` inside the VM lab, on what the build host cannot have: GPT partitions on two virtio disks,
/// md RAID1 over them, LVM on the array, ext4 and swap in LVs; and a UEFI machine with its NVRAM entries. The published
/// binary of this checkout runs in the guest through hostrun (the host's root is the guest's /host), as it runs on a
/// real machine.
/// </summary>
[Category("Boot")]
public sealed class LayoutCaptureVmTests
{
    private const long MiB = 1024 * 1024;

    [Test]
    public void LayoutSave_InTheGuest_CapturesGptRaid1AndLvm()
    {
        VmLab.RequireQemu();
        foreach (var (tool, package) in new[]
                 {
                     ("sfdisk", "fdisk"), ("mdadm", "mdadm"), ("lvm", "lvm2"), ("mkfs.ext4", "e2fsprogs"), ("/lib/systemd/systemd-udevd", "udev"),
                 })
            ExternalTool.Require(tool, package);
        var binary = Path.Combine(RepoPaths.Root, "out", "publish", "rescuekit");
        if (!File.Exists(binary)) Assert.Fail($"{binary} is missing: run 'make publish' (make test does it first)");
        using var lab = new VmLab("layout-save", ["md_mod", "raid1", "dm_mod", "ext4", "crc32c_generic"]);
        lab.AddBlankDisk(160 * MiB);
        lab.AddBlankDisk(160 * MiB);

        var exit = lab.Run($$"""
            set -e
            # udevd, as on a real system: mdadm and LVM wait for it to make their device nodes.
            hostrun /lib/systemd/systemd-udevd --daemon --resolve-names=never
            hostrun udevadm trigger --action=add
            hostrun udevadm settle --timeout=60
            for d in vda vdb; do
                printf 'label: gpt\nstart=2048, type=A19D880F-05FC-4D3B-A006-743F0F84911E, name=raid-%s\n' $d | hostrun sfdisk --no-reread /dev/$d
                blockdev --rereadpt /dev/$d
            done
            hostrun udevadm settle --timeout=60
            hostrun mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 --name=sys --homehost=rklab /dev/vda1 /dev/vdb1
            # The host's /etc is read-only in the lab; LVM keeps its metadata backups under its system directory.
            hostrun cp -a /etc/lvm /tmp/lvm
            export LVM_SYSTEM_DIR=/tmp/lvm
            hostrun pvcreate /dev/md0
            hostrun vgcreate vgsys /dev/md0
            hostrun lvcreate -y -n root -L 64M vgsys
            hostrun lvcreate -y -n swap -L 16M vgsys
            hostrun mkfs.ext4 -q -L root /dev/vgsys/root
            hostrun mkswap -L swap /dev/vgsys/swap
            hostrun udevadm settle --timeout=60
            hostrun blkid -o value -s UUID /dev/mapper/vgsys-root > root-uuid
            hostrun blkid -o value -s UUID /dev/mapper/vgsys-swap > swap-uuid
            hostrun blkid -o value -s PARTUUID /dev/vdb1 > vdb1-partuuid
            hostrun mdadm --detail --export /dev/md0 > md0.txt
            hostrun {{binary}} layout save --out - > layout.json
            """, TimeSpan.FromMinutes(10));

        Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));
        TestContext.Out.WriteLine(lab.ReadResult("layout.json"));
        using var doc = JsonDocument.Parse(lab.ReadResult("layout.json"));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("formatVersion").GetInt32(), Is.EqualTo(1));

        var disks = root.GetProperty("disks").EnumerateArray().ToList();
        Assert.That(disks.Select(d => d.GetProperty("path").GetString()), Is.EqualTo(new[] { "/dev/vda", "/dev/vdb" }));
        Assert.That(disks.Select(d => d.GetProperty("tableType").GetString()), Has.All.EqualTo("gpt"));
        var vdb1 = disks[1].GetProperty("partitions")[0];
        Assert.That(vdb1.GetProperty("name").GetString(), Is.EqualTo("raid-vdb"));
        Assert.That(vdb1.GetProperty("uuid").GetString(), Is.EqualTo(lab.ReadResult("vdb1-partuuid").Trim()).IgnoreCase);

        var md = root.GetProperty("mdArrays").EnumerateArray().Single();
        Assert.That(md.GetProperty("level").GetString(), Is.EqualTo("raid1"));
        Assert.That(md.GetProperty("name").GetString(), Is.EqualTo("rklab:sys"));
        var mdUuid = lab.ReadResult("md0.txt").Split('\n').Single(l => l.StartsWith("MD_UUID="))["MD_UUID=".Length..];
        Assert.That(md.GetProperty("uuid").GetString(), Is.EqualTo(mdUuid));
        Assert.That(md.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("device").GetString()),
            Is.EqualTo(new[] { "/dev/vda1", "/dev/vdb1" }));

        var vg = root.GetProperty("lvm").GetProperty("volumeGroups").EnumerateArray().Single();
        Assert.That(vg.GetProperty("name").GetString(), Is.EqualTo("vgsys"));
        Assert.That(vg.GetProperty("logicalVolumes").EnumerateArray().Select(l => l.GetProperty("name").GetString()),
            Is.EquivalentTo(new[] { "root", "swap" }));
        Assert.That(root.GetProperty("lvm").GetProperty("physicalVolumes")[0].GetProperty("device").GetString(), Is.EqualTo("/dev/md0"));

        var fs = root.GetProperty("filesystems").EnumerateArray().Single();
        Assert.That(fs.GetProperty("device").GetString(), Is.EqualTo("/dev/mapper/vgsys-root"));
        Assert.That(fs.GetProperty("uuid").GetString(), Is.EqualTo(lab.ReadResult("root-uuid").Trim()));
        Assert.That(fs.GetProperty("ext").GetProperty("features").EnumerateArray().Select(f => f.GetString()), Does.Contain("has_journal"));
        var swap = root.GetProperty("swaps").EnumerateArray().Single();
        Assert.That(swap.GetProperty("uuid").GetString(), Is.EqualTo(lab.ReadResult("swap-uuid").Trim()));
        TestContext.Out.WriteLine($"lab run {lab.Machine!.Elapsed.TotalSeconds:0.0} s under TCG");
    }

    /// <summary>
    /// Under OVMF with the lab's own NVRAM: an ESP mounted at /boot/efi and a Boot#### entry the host's efibootmgr
    /// wrote into the firmware; the published binary's layout names both and links the entry to the ESP.
    /// </summary>
    [Test]
    public void LayoutSave_UnderOvmf_CapturesTheEspAndTheNvramEntries()
    {
        VmLab.RequireQemu();
        VmLab.RequireOvmf();
        foreach (var (tool, package) in new[]
                 {
                     ("sfdisk", "fdisk"), ("mkfs.vfat", "dosfstools"), ("mkfs.ext4", "e2fsprogs"), ("efibootmgr", "efibootmgr"),
                     ("/lib/systemd/systemd-udevd", "udev"),
                 })
            ExternalTool.Require(tool, package);
        var binary = Path.Combine(RepoPaths.Root, "out", "publish", "rescuekit");
        if (!File.Exists(binary)) Assert.Fail($"{binary} is missing: run 'make publish' (make test does it first)");
        using var lab = new VmLab("layout-save-uefi", ["efivarfs", "vfat", "nls_cp437", "nls_ascii", "ext4", "crc32c_generic"])
        {
            Firmware = QemuFirmware.Ovmf,
        };
        lab.AddBlankDisk(128 * MiB);

        var exit = lab.Run($$"""
            set -e
            hostrun /lib/systemd/systemd-udevd --daemon --resolve-names=never
            hostrun udevadm trigger --action=add
            hostrun udevadm settle --timeout=60
            mount -t efivarfs efivarfs /sys/firmware/efi/efivars
            mount --bind /sys/firmware/efi/efivars /host/sys/firmware/efi/efivars
            printf 'label: gpt\nstart=2048, size=48MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\ntype=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709\n' | hostrun sfdisk --no-reread /dev/vda
            blockdev --rereadpt /dev/vda
            hostrun udevadm settle --timeout=60
            hostrun mkfs.vfat /dev/vda1
            hostrun mkfs.ext4 -q /dev/vda2
            # The host's /boot is read-only in the lab: a tmpfs over it gives the ESP its mount point.
            mount -t tmpfs tmpfs /host/boot
            hostrun mkdir -p /boot/efi
            hostrun mount -t vfat /dev/vda1 /boot/efi
            hostrun efibootmgr -q -c -d /dev/vda -p 1 -L debian -l '\EFI\debian\shimx64.efi'
            hostrun udevadm settle --timeout=60
            hostrun blkid -o value -s PARTUUID /dev/vda1 > esp-partuuid
            hostrun {{binary}} layout save --out - > layout.json
            """, TimeSpan.FromMinutes(10));

        Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));
        using var doc = JsonDocument.Parse(lab.ReadResult("layout.json"));
        var boot = doc.RootElement.GetProperty("bootLoader");
        Assert.That(boot.GetProperty("kind").GetString(), Is.EqualTo("uefi"));
        Assert.That(boot.GetProperty("esp").GetString(), Is.EqualTo("/dev/vda1"));
        Assert.That(boot.TryGetProperty("bootCurrent", out _), Is.False, "QEMU's direct kernel boot is no Boot#### entry");
        var entries = boot.GetProperty("efiBootEntries").EnumerateArray().ToList();
        var debian = entries.Single(e => e.GetProperty("label").GetString() == "debian");
        Assert.That(debian.GetProperty("kind").GetString(), Is.EqualTo("hard-drive"));
        Assert.That(debian.GetProperty("partitionNumber").GetInt32(), Is.EqualTo(1));
        Assert.That(debian.GetProperty("partitionUuid").GetString(), Is.EqualTo(lab.ReadResult("esp-partuuid").Trim()).IgnoreCase);
        Assert.That(debian.GetProperty("partitionStart").GetInt64(), Is.EqualTo(2048));
        Assert.That(debian.GetProperty("loaderPath").GetString(), Is.EqualTo("\\EFI\\debian\\shimx64.efi"));
        Assert.That(boot.GetProperty("bootOrder")[0].GetString(), Is.EqualTo(debian.GetProperty("number").GetString()), "efibootmgr -c puts the new entry first");
        Assert.That(entries.Select(e => e.GetProperty("kind").GetString()), Does.Contain("firmware-volume"), "OVMF's UiApp");
        TestContext.Out.WriteLine($"lab run {lab.Machine!.Elapsed.TotalSeconds:0.0} s under TCG");
    }
}
