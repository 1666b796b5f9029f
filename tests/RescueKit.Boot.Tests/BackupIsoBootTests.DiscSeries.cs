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
    /// <summary>The ISOs of a two-disc series of a filesystem holding 6 MB of random data, volume 1 first.</summary>
    private static (string[] Discs, string Uuid) SeriesIsos(string name)
    {
        // A hybrid ISO's size is rounded up to a whole MiB, so the single ISO tells the rescue system's size only to
        // within 1 MiB, and that size moves by some kB between builds. Six chunks of 1 MiB and a medium 2.5 MiB smaller
        // than the single ISO leave more than 1 MiB either way: volume 1 keeps some chunks and never all of them (a
        // medium 600 kB smaller than a single ISO of three chunks once let every chunk fit on volume 1 in CI).
        const int RandomBytes = 6_000_000;
        var (single, _) = BackupIso(name + "-single", RandomBytes, ["--chunk-size", "1M"]);
        var capacity = new FileInfo(single).Length - (5L << 20) / 2;
        var (first, uuid) = BackupIso(name, RandomBytes, ["--chunk-size", "1M", "--media-size", capacity.ToString(CultureInfo.InvariantCulture)]);
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
