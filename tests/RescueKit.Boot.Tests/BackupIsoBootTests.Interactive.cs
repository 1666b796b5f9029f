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

    /// <summary>
    /// The start page's choice 2 (nuke) over the serial console: its countdown comes, a key stops it, the screens go
    /// back to the start page, and the blank disk is still all zeros when the host reads its image afterwards.
    /// </summary>
    [Test]
    public void InteractiveNuke_CountdownStoppedByAKey_WritesNothing_AndComesBackToTheStartPage()
    {
        var (iso, _) = BackupIso("mkbackup-interactive-nuke");
        var disk = Path.Combine(TestContext.CurrentContext.WorkDirectory, "interactive-nuke-target.img");
        File.Delete(disk);
        ExternalTool.RunOk("truncate", "coreutils", ["-s", "64M", disk]);

        using (var vm = QemuMachine.Create("interactive-nuke").WithMemory(2048).WithCdrom(iso).WithVirtioDisk(disk).Build().Start())
        {
            vm.WaitFor("5  Restore some files", TimeSpan.FromMinutes(6));
            vm.Send("2");
            var countdown = vm.WaitFor("Press any key to stop.", TimeSpan.FromMinutes(3));
            vm.Send("x");
            // The start page again (the match is after the countdown's), and no step of the plan began in between.
            var back = vm.WaitFor("5  Restore some files", TimeSpan.FromMinutes(1));
            Assert.That(vm.Transcript[countdown.Index..back.Index], Does.Not.Contain("Step 1 of"), "a step ran after the countdown was stopped");
            vm.Send("4");
            vm.WaitFor(new Regex("# "), TimeSpan.FromMinutes(1)); // the shell's prompt
            Assert.That(vm.RunShell("echo shell-$((6*7))", TimeSpan.FromMinutes(1)).Output, Does.Contain("shell-42"));
            vm.SendLine("sync; poweroff -f");
            vm.WaitForExit(TimeSpan.FromMinutes(1));
        }

        using var image = File.OpenRead(disk);
        var buffer = new byte[1 << 20];
        int read;
        long at = 0;
        while ((read = image.Read(buffer)) > 0)
        {
            var nonZero = Array.FindIndex(buffer, 0, read, b => b != 0);
            Assert.That(nonZero, Is.EqualTo(-1), $"the target disk was written at byte {at + nonZero} after the countdown was stopped");
            at += read;
        }
        Assert.That(at, Is.EqualTo(64L << 20));
    }
}
