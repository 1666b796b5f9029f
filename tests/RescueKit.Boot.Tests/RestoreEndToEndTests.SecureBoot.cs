using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// Issue 12: a machine that booted through shim keeps Secure Boot across a restore. The Secure Boot source machine
/// (<see cref="SourceVariant.SecureBoot"/>: shim and Debian's signed GRUB in \EFI\debian, an NVRAM entry for
/// \EFI\debian\shimx64.efi, the signed Debian kernel) backs itself up under Secure Boot; its rescue ISO boots a machine
/// with blank disks under OVMF with Microsoft's keys and Secure Boot enforcing, where nuke restores it (its boot-loader
/// step reinstalls shim and signed GRUB, and makes the entry again); then the restored disks boot under the same
/// firmware and variable store through that entry to the login prompt with Secure Boot on.
/// </summary>
public sealed partial class RestoreEndToEndTests
{
    [Test]
    public void Nuke_UnderSecureBoot_ReinstallsShim_AndTheRestoredMachineBootsWithSecureBootEnforcing()
    {
        VmLab.RequireQemu();
        VmLab.RequireOvmf();
        var backup = SourceBackup.SecureBootCached;
        Assert.That(File.ReadAllText(backup.LayoutJson), Does.Contain(@"\\EFI\\debian\\shimx64.efi"),
            "the source's layout records its boot entry through shim");
        var work = WorkDirectory("secure-boot");
        var disks = BlankDisks(work, 2, SourceMachine.DiskBytes);
        // One variable store for the rescue run and the restored machine, as one machine has: the restore's boot entries
        // are what the restored disks boot through.
        var variables = Path.Combine(work, "OVMF_VARS_4M.ms.fd");
        File.Copy(QemuMachineBuilder.OvmfSecureBootVarsTemplatePath, variables, overwrite: true);

        var builder = QemuMachine.Create("nuke-secureboot").WithMemory(2048).WithCdrom(backup.Iso).WithSecureBoot(variables)
            .WithTranscriptFile(Path.Combine(work, "nuke-transcript.log"));
        foreach (var disk in disks) builder.WithVirtioDisk(disk);
        using (var machine = builder.Build().Start())
        {
            RescueIsoBoot.OpenExpertShell(machine);
            Assert.That(machine.Transcript, Does.Contain("Secure Boot: on, kernel lockdown: integrity"));
            var (output, exitCode) = machine.RunShell("rescuekit restore --mode nuke --unattended", NukeTimeout);
            Assert.That(exitCode, Is.EqualTo(0), output);
            Assert.That(output, Does.Contain("grub-efi-secure-boot").And.Contain("The restore is complete"));
            TestContext.Progress.WriteLine($"nuke under Secure Boot: restored after {machine.Elapsed.TotalSeconds:F0} s");
            machine.SendLine("sync; poweroff -f");
            machine.WaitForExit(TimeSpan.FromMinutes(2));
        }

        using var restored = SourceMachine.Boot("restored-secureboot", disks, QemuFirmware.Ovmf, work, secureBoot: true,
            variableStore: variables);
        var (entries, _) = restored.RunShell(
            "efibootmgr -v; echo SB=$(od -An -t u1 /sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c | awk '{print $NF}')",
            TimeSpan.FromMinutes(1));
        Assert.That(restored.Transcript, Does.Contain("Secure boot enabled"), "the restored kernel's log");
        Assert.That(entries, Does.Contain("SB=1"), "efivarfs' SecureBoot variable");
        // It booted through the entry the restore made for shim, not the ESP's removable path.
        var current = Regex.Match(entries, @"BootCurrent: (?<n>[0-9A-Fa-f]{4})");
        Assert.That(current.Success, Is.True, entries);
        Assert.That(entries, Does.Match($@"Boot{current.Groups["n"].Value}\* debian\s.*\\EFI\\debian\\shimx64\.efi"), entries);
        // The ESP's files came back from the backup with their old mtimes (shim's is the source's build); shim written
        // again by the boot-loader step is newer than rescuekit, which the source installed when it backed itself up.
        var (times, _) = restored.RunShell(
            "echo SHIM=$(stat -c %Y /boot/efi/EFI/debian/shimx64.efi) GRUB=$(stat -c %Y /boot/efi/EFI/debian/grubx64.efi) TOOL=$(stat -c %Y /usr/local/sbin/rescuekit)",
            TimeSpan.FromMinutes(1));
        var stamps = Regex.Match(times, @"SHIM=(?<shim>\d+) GRUB=(?<grub>\d+) TOOL=(?<tool>\d+)");
        Assert.That(stamps.Success, Is.True, times);
        Assert.That(long.Parse(stamps.Groups["shim"].Value), Is.GreaterThan(long.Parse(stamps.Groups["tool"].Value)),
            "shimx64.efi was installed again by the restore, after the backup");
        Assert.That(long.Parse(stamps.Groups["grub"].Value), Is.GreaterThan(long.Parse(stamps.Groups["tool"].Value)),
            "the signed grubx64.efi was installed again by the restore, after the backup");
        SourceMachine.AssertBootedWhole(restored, mirrors: 2);
        TestContext.Progress.WriteLine($"restored under Secure Boot: logged in at {restored.Elapsed.TotalSeconds:F0} s");
        Directory.Delete(work, recursive: true);
    }
}
