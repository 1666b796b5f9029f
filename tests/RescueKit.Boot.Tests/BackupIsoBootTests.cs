using System.Globalization;
using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// `rescuekit mkbackup --output iso` of a real (loop-mounted ext4) filesystem, booted from CD under SeaBIOS and OVMF:
/// 40-media finds the backup on the medium, the front-end reports it, and `rescuekit verify` inside the rescue system
/// checks every chunk read from the CD.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public partial class BackupIsoBootTests
{
    [GeneratedRegex(@"-\d+\.iso$")]
    private static partial Regex SeriesVolume();

    [TestCase(QemuFirmware.SeaBios, TestName = "BiosCdrom")]
    [TestCase(QemuFirmware.Ovmf, TestName = "UefiCdrom")]
    public void TheBackupOnTheRescueIsoIsFoundAndVerifiesInsideTheRescueSystem(QemuFirmware firmware)
    {
        var (iso, _) = BackupIso($"mkbackup-boot-{firmware}");

        using var vm = QemuMachine.Create($"mkbackup-{firmware}-cd").WithFirmware(firmware).WithMemory(2048).WithCdrom(iso).Build().Start();
        var found = vm.WaitFor(new Regex(@"\[rk\] stage 40-media: ok \(.*backup at (?<dir>/\S+)\)"), TimeSpan.FromMinutes(4));
        var backupDir = found.Groups["dir"].Value;
        vm.WaitFor($"A backup was found at {backupDir}", TimeSpan.FromMinutes(2));
        RescueIsoBoot.OpenExpertShell(vm);
        vm.SendLine($"rescuekit verify {backupDir}; echo VERIFY-RC=$?");

        var rc = vm.WaitFor(new Regex(@"VERIFY-RC=(\d+)"), TimeSpan.FromMinutes(3));
        Assert.That(rc.Groups[1].Value, Is.EqualTo("0"), vm.Transcript);
    }

    /// <summary>`rescuekit mkbackup --output iso` of a fresh 64 MiB ext4 filesystem holding etc/motd and 3 MB of random
    /// data (with <paramref name="mkbackupOptions"/> added); returns the ISO (volume 1 of a series) and the filesystem's UUID.</summary>
    private static (string Iso, string Uuid) BackupIso(string name, params string[] mkbackupOptions) =>
        BackupIso(name, 3_000_000, mkbackupOptions);

    /// <summary>The same with <paramref name="randomBytes"/> of random data in the filesystem.</summary>
    private static (string Iso, string Uuid) BackupIso(string name, int randomBytes, string[] mkbackupOptions)
    {
        if (!Environment.IsPrivilegedProcess) Assert.Fail("this test attaches a loop device and mounts it: run it as root");
        var work = Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, name)).FullName;
        var image = Path.Combine(work, "fs.img");
        var mount = Directory.CreateDirectory(Path.Combine(work, "mnt")).FullName;
        var output = Path.Combine(work, "out");
        var config = Path.Combine(work, "empty.yaml");
        File.WriteAllText(config, "");
        ExternalTool.RunOk("truncate", "coreutils", ["-s", "64M", image]);
        ExternalTool.RunOk("mkfs.ext4", "e2fsprogs", ["-q", image]);
        var loop = ExternalTool.RunOk("losetup", "mount", ["--find", "--show", image]).Trim();
        try
        {
            ExternalTool.RunOk("mount", "mount", [loop, mount]);
            ExternalTool.RunOk("sh", "dash", ["-ec", "mkdir -p etc && printf 'restore me\\n' > etc/motd && head -c " + randomBytes.ToString(CultureInfo.InvariantCulture) + " /dev/urandom > blob"],
                workingDirectory: mount);
            Mkbackup(["mkbackup", "--output", "iso", "--device", loop, "--out", output, "--config", config, .. mkbackupOptions]);
        }
        finally
        {
            ExternalTool.Run("umount", "mount", [mount]);
            ExternalTool.Run("losetup", "mount", ["-d", loop]);
        }
        var uuid = ExternalTool.RunOk("blkid", "util-linux", ["-s", "UUID", "-o", "value", image]).Trim();
        return (Directory.GetFiles(output, "rescuekit-*.iso").Single(p => !SeriesVolume().IsMatch(p)), uuid);
    }

    /// <summary>
    /// Nuke in the booted rescue system, unattended, from the backup on its own CD onto a blank disk of the same size:
    /// the filesystem comes back with its UUID and its files, and `rescuekit compare` inside the rescue system finds the
    /// restored tree equal to the backup.
    /// </summary>
    [Test]
    public void NukeRestoresTheBackupOnTheMediumOntoABlankDisk()
    {
        var (iso, uuid) = BackupIso("mkbackup-nuke");
        var disk = Path.Combine(TestContext.CurrentContext.WorkDirectory, "nuke-target.img");
        File.Delete(disk);
        ExternalTool.RunOk("truncate", "coreutils", ["-s", "64M", disk]);

        using var vm = QemuMachine.Create("mkbackup-nuke").WithMemory(2048).WithCdrom(iso).WithVirtioDisk(disk).Build().Start();
        var found = vm.WaitFor(new Regex(@"\[rk\] stage 40-media: ok \(.*backup at (?<dir>/\S+)\)"), TimeSpan.FromMinutes(4));
        var backupDir = found.Groups["dir"].Value;
        RescueIsoBoot.OpenExpertShell(vm);
        vm.SendLine("rescuekit restore --mode nuke --unattended; echo NUKE-RC=$?");
        var rc = vm.WaitFor(new Regex(@"NUKE-RC=(\d+)"), TimeSpan.FromMinutes(5));
        Assert.That(rc.Groups[1].Value, Is.EqualTo("0"), vm.Transcript);
        Assert.That(vm.Transcript, Does.Contain("The restore is complete"));

        vm.SendLine($"blkid -s UUID -o value /dev/vda; mkdir -p /mnt/check && mount -o ro /dev/vda /mnt/check && cat /mnt/check/etc/motd; " +
                    $"rescuekit compare {backupDir} --root /mnt/check; echo COMPARE-RC=$?");
        var compare = vm.WaitFor(new Regex(@"COMPARE-RC=(\d+)"), TimeSpan.FromMinutes(3));
        Assert.That(compare.Groups[1].Value, Is.EqualTo("0"), vm.Transcript);
        Assert.That(vm.Transcript, Does.Contain(uuid).And.Contain("restore me"));
    }

    /// <summary>
    /// Faults found before the first write, in the booted rescue system, unattended: a chunk of the backup on the CD
    /// damaged (one byte changed in the ISO image), and a target disk too small for the source disk. Nuke refuses with
    /// the reason and a non-zero exit, and the target disk is left exactly as it was: a sparse file nothing was ever
    /// written to, so it still has no block allocated.
    /// </summary>
    [TestCase("damaged-chunk", 64, "is damaged, so nothing was restored and no disk was touched")]
    [TestCase("too-small-disk", 32, "no free disk here holds")]
    public void NukeRefusesBeforeTheFirstWrite(string fault, int diskMiB, string reason)
    {
        var (iso, _) = BackupIso($"mkbackup-{fault}");
        if (fault == "damaged-chunk") DamageTheChunk(iso);
        var disk = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"{fault}-target.img");
        File.Delete(disk);
        ExternalTool.RunOk("truncate", "coreutils", ["-s", $"{diskMiB}M", disk]);

        using var vm = QemuMachine.Create($"nuke-{fault}").WithMemory(2048).WithCdrom(iso).WithVirtioDisk(disk).Build().Start();
        RescueIsoBoot.OpenExpertShell(vm);
        var (output, exitCode) = vm.RunShell("rescuekit restore --mode nuke --unattended", TimeSpan.FromMinutes(5));

        Assert.That(exitCode, Is.Not.EqualTo(0), output);
        Assert.That(output, Does.Contain(reason));
        Assert.That(output, Does.Not.Contain("[1/"), "no step of the plan ran");
        vm.SendLine("sync; poweroff -f");
        vm.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.That(AllocatedBytes(disk), Is.Zero, "the target disk was written to");
    }

    /// <summary>Changes one byte in the middle of the backup's chunk inside the ISO image, found with xorriso.</summary>
    private static void DamageTheChunk(string iso)
    {
        var report = ExternalTool.RunOk("xorriso", "xorriso", ["-indev", iso, "-find", "/", "-type", "f", "-name", "*.000", "-exec", "report_lba", "--"]);
        var m = Regex.Match(report, @"File data lba:\s*0\s*,\s*(\d+)\s*,\s*\d+\s*,\s*(\d+)\s*,");
        Assert.That(m.Success, Is.True, "xorriso finds the chunk:\n" + report);
        var offset = long.Parse(m.Groups[1].Value) * 2048 + long.Parse(m.Groups[2].Value) / 2;
        using var f = new FileStream(iso, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        var b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)(b ^ 0xFF));
    }

    /// <summary>The bytes the file system holds for a (sparse) file: du's block count.</summary>
    private static long AllocatedBytes(string path) =>
        long.Parse(ExternalTool.RunOk("du", "coreutils", ["--block-size=1", path]).Split('\t')[0]);

    private static void Mkbackup(params string[] args)
    {
        var (exitCode, output) = RescueIsoFixture.RunBinary(args);
        if (exitCode != 0) Assert.Fail($"mkbackup failed with exit code {exitCode}:\n{output}");
    }
}
