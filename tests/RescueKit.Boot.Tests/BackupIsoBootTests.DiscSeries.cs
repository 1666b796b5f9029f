using System.Globalization;
using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// Nuke from a backup that mkbackup split over two discs, in the booted rescue system: with one drive, the person (the
/// test, through QEMU's monitor) is asked for each disc and changes it; with two drives holding both discs, nothing is
/// asked, under SeaBIOS and OVMF. The filesystem comes back with its UUID and files, and compare finds it equal to the backup.
/// </summary>
public partial class BackupIsoBootTests
{
    /// <summary>The ISOs of a two-disc series of the 3 MB filesystem, volume 1 first.</summary>
    private static (string[] Discs, string Uuid) SeriesIsos(string name)
    {
        // The single ISO's size less 600 kB: volume 1 keeps one of the three 1 MiB chunks (a volume of the series holds
        // 64 KiB of room for its volume.json, and mkbackup's chunks after the first are what does not fit).
        var (single, _) = BackupIso(name + "-single", "--chunk-size", "1M");
        var capacity = new FileInfo(single).Length - 600_000;
        var (first, uuid) = BackupIso(name, "--chunk-size", "1M", "--media-size", capacity.ToString(CultureInfo.InvariantCulture));
        var discs = new[] { first, first[..^".iso".Length] + "-2.iso" };
        Assert.That(File.Exists(discs[1]) && !File.Exists(first[..^".iso".Length] + "-3.iso"), Is.True, "mkbackup wrote two volumes");
        return (discs, uuid);
    }

    [Test]
    public void Series_OneDrive_NukeAsksForEachDisc_AndRestoresFromBoth()
    {
        var (discs, uuid) = SeriesIsos("series-one-drive");
        var disk = BlankDisk("series-one-drive");

        using var vm = QemuMachine.Create("series-one-drive").WithMemory(2048).WithCdrom(discs[0]).WithVirtioDisk(disk).WithMonitor().Build().Start();
        RescueIsoBoot.OpenExpertShell(vm);
        vm.SendLine("rescuekit restore --mode nuke; echo NUKE-RC=$?");
        var asked = new List<int>();
        while (true)
        {
            var m = vm.WaitFor(new Regex(@"Insert disc (\d) of 2 of backup \S+ \S+ into /dev/sr0|NUKE-RC=(\d+)"), TimeSpan.FromMinutes(10));
            if (m.Groups[2].Success)
            {
                Assert.That(m.Groups[2].Value, Is.EqualTo("0"), vm.Transcript);
                break;
            }
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            asked.Add(n);
            Assert.That(asked, Has.Count.LessThan(8), "asked for discs again and again: " + string.Join(", ", asked));
            vm.MonitorCommand($"change ide1-cd0 {discs[n - 1]}");
            vm.SendLine("");
        }
        Assert.That(asked[0], Is.EqualTo(2), "pre-flight asks for disc 2 first");
        Assert.That(asked, Does.Contain(1), "extracting needs disc 1 back");
        Assert.That(vm.Transcript, Does.Contain("Checking disc 2 of 2").And.Contain("The restore is complete"));
        AssertRestored(vm, uuid);
    }

    /// <summary>Also under OVMF: disc 1 boots through its El Torito EFI image, and the second drive is found the same.</summary>
    [TestCase(QemuFirmware.SeaBios)]
    [TestCase(QemuFirmware.Ovmf)]
    public void Series_TwoDrives_UnattendedNukeAsksNothing(QemuFirmware firmware)
    {
        var name = $"series-two-drives-{firmware.ToString().ToLowerInvariant()}";
        var (discs, uuid) = SeriesIsos(name);
        var disk = BlankDisk(name);

        using var vm = QemuMachine.Create(name).WithFirmware(firmware).WithMemory(2048).WithCdrom(discs[0]).WithSecondCdrom(discs[1])
            .WithVirtioDisk(disk).Build().Start();
        RescueIsoBoot.OpenExpertShell(vm);
        var (output, exitCode) = vm.RunShell("rescuekit restore --mode nuke --unattended", TimeSpan.FromMinutes(10));

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Not.Contain("Insert disc"));
        AssertRestored(vm, uuid);
    }

    private static string BlankDisk(string name)
    {
        var disk = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"{name}-target.img");
        File.Delete(disk);
        ExternalTool.RunOk("truncate", "coreutils", ["-s", "64M", disk]);
        return disk;
    }

    /// <summary>/dev/vda holds the filesystem with its UUID and files, and compare (from the series' catalog nuke kept in
    /// memory) finds nothing changed.</summary>
    private static void AssertRestored(QemuMachine vm, string uuid)
    {
        var (output, exitCode) = vm.RunShell("blkid -s UUID -o value /dev/vda; mkdir -p /mnt/check && mount -o ro /dev/vda /mnt/check && " +
            "cat /mnt/check/etc/motd && rescuekit compare /run/rescuekit/disc-series/backup --root /mnt/check", TimeSpan.FromMinutes(3));
        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain(uuid).And.Contain("restore me"));
    }
}
