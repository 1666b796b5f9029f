using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The USB stick image `mkrescue --output usb` writes for this host, booted as a USB disk (xHCI, usb-storage) under
/// SeaBIOS (gptmbr.bin → SYSLINUX) and OVMF (OVMF_CODE_4M.fd with a copy of OVMF_VARS_4M.fd; BOOTX64.EFI): every stage
/// ok, the data partition found by its label; under OVMF a backup put on the data partition before the boot (backup
/// --to usb: on a loop device of its byte range) is offered and passes `rescuekit verify` inside the rescue system; and
/// the stick `mkbackup --output usb --image` makes with its backup in one run, under OVMF and SeaBIOS, the same way.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public class UsbStickBootTests
{
    private const long MiB = 1024 * 1024;

    /// <summary>A fresh stick image of 700 MiB in the test's work directory (the build takes seconds).</summary>
    private static string Stick(string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, name)).FullName;
        var image = Path.Combine(dir, "stick.img");
        File.Delete(image);
        var (code, output) = RescueIsoFixture.RunBinary("mkrescue", "--output", "usb", "--image", image, "--size", "700M", "--out", dir);
        if (code != 0) Assert.Fail($"mkrescue --output usb failed ({code}):\n{output}");
        return image;
    }

    private static QemuMachine Boot(string name, string image, QemuFirmware firmware)
    {
        var builder = QemuMachine.Create(name).WithMemory(2048).WithUsbDisk(image);
        if (firmware == QemuFirmware.Ovmf)
        {
            var vars = Path.Combine(Path.GetDirectoryName(image)!, "OVMF_VARS_4M.fd");
            File.Copy(QemuMachineBuilder.OvmfVarsTemplatePath, vars, overwrite: true);
            builder.WithOvmfVariableStore(vars);
        }
        return builder.Build().Start();
    }

    [Test]
    public void Bios_BootsThroughEveryStage_AndFindsTheDataPartition()
    {
        var image = Stick("usb-bios");
        using var vm = Boot("usb-bios", image, QemuFirmware.SeaBios);
        RescueIsoBoot.WaitForFrontEnd(vm);
        // Each wait searches on from the last: the stage lines are checked in the transcript, after the front-end came up.
        Assert.That(vm.Transcript, Does.Match(@"\[rk\] stage 40-media: ok \(.*data partition /dev/\S+ \(label RESCUEKIT-DATA\), 0 backups"));
        TestContext.Out.WriteLine($"usb-bios: front-end after {vm.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The stick's ESP holds the same signed shim and GRUB as the ISO's (BuildContext.EspFiles): under OVMF
    /// with Microsoft's keys and Secure Boot enforcing it boots to the front-end, which says so.</summary>
    [Test]
    public void SecureBoot_BootsThroughShimAndSignedGrub_AndSaysSo()
    {
        var image = Stick("usb-secureboot");
        var vars = Path.Combine(Path.GetDirectoryName(image)!, "OVMF_VARS_4M.ms.fd");
        File.Copy(QemuMachineBuilder.OvmfSecureBootVarsTemplatePath, vars, overwrite: true);
        using var vm = QemuMachine.Create("usb-secureboot").WithMemory(2048).WithUsbDisk(image).WithSecureBoot(vars).Build().Start();
        RescueIsoBoot.WaitForFrontEnd(vm);
        Assert.That(vm.Transcript, Does.Contain("Secure Boot: on, kernel lockdown: integrity"));
        Assert.That(vm.Transcript, Does.Match(@"\[rk\] stage 40-media: ok \(.*data partition /dev/\S+ \(label RESCUEKIT-DATA\)"));
    }

    [Test]
    public void Uefi_BootsThroughEveryStage_AndVerifiesTheBackupOnTheDataPartition()
    {
        if (!Environment.IsPrivilegedProcess) Assert.Fail("this test attaches loop devices and mounts them: run it as root");
        var image = Stick("usb-uefi");
        PutABackupOn(image);

        using var vm = Boot("usb-uefi", image, QemuFirmware.Ovmf);
        var found = vm.WaitFor(DataPartitionWithOneBackup(), RescueIsoBoot.BootTimeout);
        AssertTheBackupIsOfferedAndVerifies(vm, found.Groups["dir"].Value);
        Assert.That(vm.Transcript, Does.Not.Contain("stage 40-media: failed"));
    }

    /// <summary>The stick `mkbackup --output usb --image` writes (the rescue system and a backup of a small source in
    /// its data partition, in one run), booted as a USB disk: every stage ok, the data partition found by its label
    /// with the one backup, which the front-end offers and `rescuekit verify` passes inside the rescue system.</summary>
    [TestCase(QemuFirmware.Ovmf)]
    [TestCase(QemuFirmware.SeaBios)]
    public void MkbackupStick_BootsThroughEveryStage_OffersItsBackup_AndVerifiesIt(QemuFirmware firmware)
    {
        if (!Environment.IsPrivilegedProcess) Assert.Fail("this test attaches loop devices and mounts them: run it as root");
        var name = $"usb-mkbackup-{firmware.ToString().ToLowerInvariant()}";
        var dir = Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, name)).FullName;
        var image = Path.Combine(dir, "stick.img");
        File.Delete(image);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        WithASmallSource(dir, (device, config) =>
        {
            var (code, output) = RescueIsoFixture.RunBinary("mkbackup", "--output", "usb", "--image", image, "--size", "700M",
                "--device", device, "--out", dir, "--config", config);
            if (code != 0) Assert.Fail($"mkbackup --output usb failed ({code}):\n{output}");
            Assert.That(output, Does.Contain($"Rescue USB stick: {image}"));
        });
        TestContext.Out.WriteLine($"{name}: stick with its backup made in {clock.Elapsed.TotalSeconds:F1} s");

        using var vm = Boot(name, image, firmware);
        RescueIsoBoot.WaitForStages(vm);
        var found = DataPartitionWithOneBackup().Match(vm.Transcript);
        Assert.That(found.Success, Is.True, "40-media did not name the data partition with one backup:\n" + vm.Transcript);
        AssertTheBackupIsOfferedAndVerifies(vm, found.Groups["dir"].Value);
        TestContext.Out.WriteLine($"{name}: verified in the rescue system after {vm.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>40-media's line for a data partition found by its label holding one backup; group dir is where.</summary>
    private static Regex DataPartitionWithOneBackup() =>
        new(@"\[rk\] stage 40-media: ok \(.*data partition /dev/\S+ \(label RESCUEKIT-DATA\), 1 backups, newest (?<dir>/\S+)\)");

    /// <summary>The front-end offers the backup at <paramref name="backupDir"/>; its expert shell verifies it.</summary>
    private static void AssertTheBackupIsOfferedAndVerifies(QemuMachine vm, string backupDir)
    {
        vm.WaitFor($"A backup was found at {backupDir}", TimeSpan.FromMinutes(2));
        RescueIsoBoot.OpenExpertShell(vm);
        var (output, exitCode) = vm.RunShell($"rescuekit verify {backupDir}", TimeSpan.FromMinutes(3));
        Assert.That(exitCode, Is.EqualTo(0), output);
    }

    /// <summary>A backup of a small loop-mounted ext4, written with `backup --to usb:` onto the stick's data partition.</summary>
    private static void PutABackupOn(string image)
    {
        var dataStart = MiB + 512 * MiB;
        var data = ExternalTool.RunOk("losetup", "mount", ["--find", "--show", "--offset", dataStart.ToString(),
            "--sizelimit", (700 * MiB - dataStart - MiB).ToString(), image]).Trim();
        try
        {
            WithASmallSource(Path.GetDirectoryName(image)!, (device, config) =>
            {
                var (code, output) = RescueIsoFixture.RunBinary("backup", "--device", device, "--to", "usb:", "--config", config);
                if (code != 0) Assert.Fail($"backup --to usb: failed ({code}):\n{output}");
            });
        }
        finally
        {
            ExternalTool.Run("losetup", "mount", ["-d", data]);
        }
    }

    /// <summary>Runs <paramref name="backUp"/> with the loop device of a small ext4 (a text file and 2 MB of random
    /// bytes), mounted so a backup reads it, and an empty config file; unmounts and detaches it after.</summary>
    private static void WithASmallSource(string dir, Action<string, string> backUp)
    {
        var source = Path.Combine(dir, "fs.img");
        var mount = Directory.CreateDirectory(Path.Combine(dir, "mnt")).FullName;
        var config = Path.Combine(dir, "empty.yaml");
        File.WriteAllText(config, "");
        File.Delete(source);
        ExternalTool.RunOk("truncate", "coreutils", ["-s", "64M", source]);
        ExternalTool.RunOk("mkfs.ext4", "e2fsprogs", ["-q", source]);
        var loop = ExternalTool.RunOk("losetup", "mount", ["--find", "--show", source]).Trim();
        try
        {
            ExternalTool.RunOk("mount", "mount", [loop, mount]);
            ExternalTool.RunOk("sh", "dash", ["-ec", "mkdir -p etc && printf 'restore me\\n' > etc/motd && head -c 2000000 /dev/urandom > blob"],
                workingDirectory: mount);
            backUp(loop, config);
        }
        finally
        {
            ExternalTool.Run("umount", "mount", [mount]);
            ExternalTool.Run("losetup", "mount", ["-d", loop]);
        }
    }
}
