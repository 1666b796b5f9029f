using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The restore test's source machine boots from its own disks, as a real machine would: firmware, GRUB on the disks,
/// Debian 13's kernel and initramfs assembling the RAID1 and the VG, systemd, and the login prompt on the serial
/// console. Under SeaBIOS GRUB comes from the disks' BIOS boot partitions, under OVMF from the ESPs' removable path.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public sealed partial class SourceMachineTests
{
    [Test]
    public void Build_RecordsTheMarkerTreeAndIdentities()
    {
        VmLab.RequireQemu();
        var source = SourceMachine.Cached;
        var markers = File.ReadAllText(source.MarkersFile);
        Assert.That(markers, Does.Contain("symlink-to-regular l ").And.Contain("dir/hardlink-to-regular f ")
            .And.Contain("user.rescuekit=\"marker-value\"").And.Contain("dir/owned-1234.txt f 600 1234:1234 "));
        var sparse = SparseLine().Match(markers);
        Assert.That(sparse.Success, Is.True, "no 64 MiB sparse.img\n" + markers);
        Assert.That(long.Parse(sparse.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.LessThan(2048),
            "sparse.img should hold one 4 KiB block of data, not 64 MiB");
        foreach (var name in new[] { "root_uuid", "home_uuid", "swap_uuid", "esp_uuid", "md_uuid", "vg_uuid" })
            Assert.That(source.Identity(name), Is.Not.Empty, name);
        foreach (var disk in source.CachedDisks)
            Assert.That(new FileInfo(disk).Length, Is.EqualTo(SourceMachine.DiskBytes));
    }

    [TestCase(QemuFirmware.SeaBios)]
    [TestCase(QemuFirmware.Ovmf)]
    public void BootsFromItsDisks_ToTheLoginPrompt(QemuFirmware firmware)
    {
        VmLab.RequireQemu();
        var source = SourceMachine.Cached;
        var work = Path.Combine(TestContext.CurrentContext.WorkDirectory, "source-boot", firmware.ToString());
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        var disks = source.CopyDisks(work);
        using var machine = SourceMachine.Boot($"source-{firmware}", disks, firmware, work);
        SourceMachine.AssertBootedWhole(machine, mirrors: 2);
        Directory.Delete(work, recursive: true);
    }

    [GeneratedRegex(@"^sparse\.img f 644 0:0 67108864 (\d+) ", RegexOptions.Multiline)]
    private static partial Regex SparseLine();
}
