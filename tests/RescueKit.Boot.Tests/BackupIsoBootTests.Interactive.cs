using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

public partial class BackupIsoBootTests
{
    /// <summary>
    /// The interactive mode driven over the serial console as a person at a terminal server would: the start page's
    /// choice 1, the mapping the engine proposes (the backup's disk onto the blank one), the mountlist, the sets and the
    /// plan's preview each taken with Tab and Enter, the disk's name typed to confirm it, then the restore's end.
    /// The restored disk has the filesystem's UUID and its files, which the host reads from the image afterwards.
    /// </summary>
    [Test]
    public void Interactive_OverTheSerialConsole_RestoresTheBackupOntoTheConfirmedDisk()
    {
        var (iso, uuid) = BackupIso("mkbackup-interactive");
        var disk = Path.Combine(TestContext.CurrentContext.WorkDirectory, "interactive-target.img");
        File.Delete(disk);
        ExternalTool.RunOk("truncate", "coreutils", ["-s", "64M", disk]);

        using var vm = QemuMachine.Create("interactive-serial").WithMemory(2048).WithCdrom(iso).WithVirtioDisk(disk).Build().Start();
        vm.WaitFor("5  Restore some files", TimeSpan.FromMinutes(6));
        vm.Send("1");
        vm.WaitFor(new Regex(@"-> /dev/vda 64\.0 MiB[^\n]*\(proposed\)"), TimeSpan.FromMinutes(2));
        vm.Send("\t\r");
        vm.WaitFor("Mountlist:", TimeSpan.FromMinutes(1));
        vm.Send("\t\r");
        vm.WaitFor("What to restore", TimeSpan.FromMinutes(1));
        vm.Send("\t\r");
        vm.WaitFor("steps in order:", TimeSpan.FromMinutes(1));
        vm.Send("\t\r");
        vm.WaitFor("type /dev/vda to erase it", TimeSpan.FromMinutes(3));
        vm.Send("/dev/vdb\r");
        vm.WaitFor("is not /dev/vda: nothing was written", TimeSpan.FromMinutes(1));
        vm.Send("/dev/vda\r");
        vm.WaitFor("The restore is complete", TimeSpan.FromMinutes(5));
        vm.Send("\r");
        vm.WaitFor("[rk] stage 90-frontend: ok", TimeSpan.FromMinutes(1));
        vm.SendLine("sync; poweroff -f");
        vm.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.That(ExternalTool.RunOk("blkid", "util-linux", ["-s", "UUID", "-o", "value", disk]).Trim(), Is.EqualTo(uuid));
        Assert.That(ExternalTool.RunOk("debugfs", "e2fsprogs", ["-R", "cat /etc/motd", disk]), Is.EqualTo("restore me\n"));
    }
}
