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
    // TCG: GRUB, a 6.12 kernel and systemd to the getty take one to three minutes on an idle machine.
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(8);

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
        var builder = QemuMachine.Create($"source-{firmware}").WithMemory(1024);
        if (firmware == QemuFirmware.Ovmf)
        {
            VmLab.RequireOvmf();
            // An empty variable store: OVMF falls back to each disk's \EFI\BOOT\BOOTX64.EFI.
            var vars = Path.Combine(work, "OVMF_VARS.fd");
            File.Copy(QemuMachineBuilder.OvmfVarsTemplatePath, vars);
            builder.WithOvmfVariableStore(vars);
        }
        foreach (var disk in disks) builder.WithVirtioDisk(disk);

        using var machine = builder.Build().Start();
        machine.WaitFor("Loading Linux", BootTimeout);
        var kernelAt = machine.Elapsed;
        machine.WaitFor($"{SourceMachine.HostName} login:", BootTimeout);
        TestContext.Progress.WriteLine(
            $"source machine under {firmware}: kernel loaded at {kernelAt.TotalSeconds:F0} s, login prompt at {machine.Elapsed.TotalSeconds:F0} s");
        // The restore test drives the machine this way (layout save, mkbackup), so the login must work too.
        machine.SendLine("root");
        machine.WaitFor("Password:", TimeSpan.FromSeconds(60));
        machine.SendLine(SourceMachine.RootPassword);
        machine.WaitFor(new Regex(@"root@rk-source:~# "), TimeSpan.FromMinutes(2));
        machine.SendLine("echo MD=$(cat /sys/block/md0/md/array_state) HOME=$(findmnt -n -o FSTYPE /home)");
        machine.WaitFor(new Regex(@"MD=clean HOME=xfs|MD=active HOME=xfs"), TimeSpan.FromMinutes(1));
        var transcript = machine.Transcript;
        Assert.That(transcript, Does.Contain("md/raid1:md0: active with 2 out of 2 mirrors"));
        // systemd colours unit names, so the name follows an escape sequence.
        Assert.That(transcript, Does.Match(@"Mounted \S*home\.mount").And.Match(@"Mounted \S*boot-efi\.mount")
            .And.Contain("Adding 262140k swap on /dev/mapper/vg0-swap"));
        Assert.That(transcript, Does.Not.Contain("FAILED").And.Not.Contain("emergency mode"));

        Directory.Delete(work, recursive: true);
    }

    [GeneratedRegex(@"^sparse\.img f 644 0:0 67108864 (\d+) ", RegexOptions.Multiline)]
    private static partial Regex SparseLine();
}
