using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

public sealed partial class RestoreEndToEndTests
{
    /// <summary>Down arrow as a VT100 terminal sends it, in one write so the front-end does not read a lone Esc.</summary>
    private const string Down = "\e[B";

    /// <summary>
    /// Issue 10's restore on the terminal UI, driven over the serial console as a person at a terminal server would:
    /// the source machine's backup (two disks, RAID1, LVM) onto one blank disk of twice a source disk's size, from the
    /// medium's default (interactive) entry. The mapping screen proposes the first disk onto the blank one and finds no
    /// place for the second; the blank disk is offered for it with why it cannot be chosen, and the second disk is left
    /// out. The mountlist shows the partitions grown to the larger disk, the plan says the array is made degraded, and
    /// the confirmation asks for the one disk only. The restored disk then boots alone with the array on one mirror.
    /// </summary>
    [Test]
    public void Interactive_OverTheSerialConsole_OntoOneLargerDisk_LeavesTheSecondDiskOut_AndTheRestoredDiskBoots()
    {
        VmLab.RequireQemu();
        var backup = SourceBackup.Cached;
        var work = WorkDirectory("interactive-one-disk");
        var disks = BlankDisks(work, 1, 2 * SourceMachine.DiskBytes);

        var builder = QemuMachine.Create("interactive-one-disk").WithMemory(2048).WithCdrom(backup.Iso).WithVirtioDisk(disks[0])
            .WithTranscriptFile(Path.Combine(work, "interactive-transcript.log"));
        using (var vm = builder.Build().Start())
        {
            vm.WaitFor("5  Restore some files", TimeSpan.FromMinutes(8));
            vm.Send("1");

            // The engine's proposal: the first disk onto the larger blank one; the second fits nowhere, and it says so.
            vm.WaitFor(new Regex(@"/dev/vda 3\.0 GiB +-> /dev/vda 6\.0 GiB[^\n]*\(proposed\)"), TimeSpan.FromMinutes(5));
            vm.WaitFor(new Regex(@"/dev/vdb 3\.0 GiB +-> \? \(choose\)"), TimeSpan.FromMinutes(1));
            vm.WaitFor("/dev/vdb fits no free disk here", TimeSpan.FromMinutes(1));
            vm.Send(Down);
            vm.Send("\r");
            vm.WaitFor("Target for /dev/vdb", TimeSpan.FromMinutes(1));
            vm.WaitFor("- cannot: /dev/vda goes there", TimeSpan.FromMinutes(1));
            vm.Send(Down);
            vm.Send("\r"); // leave this disk out
            vm.WaitFor(new Regex(@"-> left out"), TimeSpan.FromMinutes(1));
            vm.WaitFor("Every disk has a target.", TimeSpan.FromMinutes(1));
            vm.Send("\t\r");

            // The mountlist: the first disk's partitions before -> after, grown to the disk twice the size.
            vm.WaitFor("Mountlist:", TimeSpan.FromMinutes(1));
            vm.WaitFor(new Regex(@"/dev/vda3 [^\n]*\d\.\d GiB -> \d\.\d GiB"), TimeSpan.FromMinutes(1));
            vm.Send("\t\r");
            vm.WaitFor("What to restore", TimeSpan.FromMinutes(1));
            vm.Send("\t\r");
            var preview = vm.WaitFor(new Regex(@"/dev/vda \(3\.0 GiB\) -> /dev/vda \(6\.0 GiB\), partitions [^\n]*: erased"), TimeSpan.FromMinutes(2));
            vm.WaitFor("steps in order:", TimeSpan.FromMinutes(1));
            vm.Send("\t\r");

            // The restore's opening lines on the progress page, then the typed confirmation of the one disk to erase.
            vm.WaitFor("is created degraded", TimeSpan.FromMinutes(2));
            var confirm = vm.WaitFor("Disk 1 of 1: type /dev/vda to erase it", TimeSpan.FromMinutes(20));
            Assert.That(vm.Transcript[preview.Index..confirm.Index], Does.Not.Contain("/dev/vdb ("), "a plan with /dev/vdb on a disk");
            vm.Send("/dev/vda\r");
            vm.WaitFor("Step 1 of", TimeSpan.FromMinutes(2));
            vm.WaitFor("The restore is complete", NukeTimeout);
            TestContext.Progress.WriteLine($"interactive restore: complete after {vm.Elapsed.TotalSeconds:F0} s");
            vm.Send("\r");
            vm.WaitFor("[rk] stage 90-frontend: ok", TimeSpan.FromMinutes(2));
            vm.SendLine("sync; poweroff -f");
            vm.WaitForExit(TimeSpan.FromMinutes(2));
        }

        AssertRestoredAsTheSource(disks, mirrors: 1, sameTables: false);
        using (var restored = SourceMachine.Boot("restored-interactive", disks, QemuFirmware.SeaBios, work))
            SourceMachine.AssertBootedWhole(restored, mirrors: 1);
        Directory.Delete(work, recursive: true);
    }
}
