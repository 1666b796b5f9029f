using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The restore's proof (issue 9): the source machine — two disks, GPT with BIOS boot and ESP on each, md RAID1, LVM on
/// it (root ext4, /home xfs, swap), a real Debian 13 — backs itself up onto a rescue ISO with its own rescuekit
/// (<see cref="SourceBackup"/>). That ISO boots a machine with blank disks in nuke mode, unattended, from the medium's
/// own nuke entry; the restored disks then boot alone, under SeaBIOS and under OVMF, to the login prompt, and the marker
/// tree and every identity (filesystem, array and VG UUIDs, partition GUIDs) are as the source had them.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public sealed partial class RestoreEndToEndTests
{
    private static readonly TimeSpan NukeTimeout = TimeSpan.FromMinutes(45);

    [Test]
    public void Nuke_OntoTwoBlankDisks_BringsTheMachineBack_BootingUnderSeaBiosAndOvmf()
    {
        VmLab.RequireQemu();
        var work = WorkDirectory("two-disks");
        Timings.Clear();
        NukeCompareAndBoot(SourceBackup.Cached, work, [QemuFirmware.SeaBios, QemuFirmware.Ovmf]);
        WriteTimings();
        Directory.Delete(work, recursive: true);
    }

    /// <summary>
    /// The same restore with the backup read straight over HTTP (issue 11): its directory, copied off the ISO, served
    /// by `rescuekit serve --backups` on the host's loopback, and the rescue system booted with
    /// <c>rk.source=http://…/backups/HOST/ID/</c> on QEMU's restricted user network, which reaches that one server and
    /// nothing else (its address is the lab's host-service address: under restrict=on, QEMU hands the guest's
    /// connections to 10.0.2.2 to nothing). Nuke and compare both read it from there, as their lines and the server's
    /// log show; the restored disks boot under SeaBIOS (the other firmware's boot is the test above's).
    /// </summary>
    [Test]
    public void NukeOverHttp_FromRescuekitServe_BringsTheMachineBack_BootingUnderSeaBios()
    {
        VmLab.RequireQemu();
        var backup = SourceBackup.Cached;
        var work = WorkDirectory("http");
        string url, path;
        using (var served = ServedBackup.Start(backup, work))
        {
            (url, path) = (served.GuestUrl, served.Path);
            var (nuke, compare) = NukeCompareAndBoot(backup, work, [QemuFirmware.SeaBios], $"rk.source={url}", served.Network);
            foreach (var transcript in new[] { nuke, compare })
                Assert.That(transcript, Does.Contain($"[rk] stage 40-media: ok (backup at {url}, read over HTTP by the front-end)"));
            Assert.That(nuke, Does.Contain($"({url})."), "nuke read the backup from the server");
            Assert.That(compare, Does.Contain($"({url}), read-only under"), "compare read the backup from the server");
        }
        var log = File.ReadAllText(Path.Combine(work, "serve.log"));
        Assert.That(log, Does.Contain($"{path}sets/").And.Contain($"{path}manifest.json"), "the chunks came from the server");
        Directory.Delete(work, recursive: true);
    }

    /// <summary>
    /// Nuke from <paramref name="backup"/> onto two blank disks of the source's size, then compare mode from the same
    /// medium, then the restored disks booted alone under each of <paramref name="firmwares"/>: the restore's whole
    /// proof, shared by every source of the backup. Returns the nuke's and the compare's transcripts.
    /// </summary>
    /// <param name="extraArguments">Added to the kernel command line (rk.source= for a backup elsewhere).</param>
    /// <param name="configure">Adds to the rescue machines (their network).</param>
    private static (string Nuke, string Compare) NukeCompareAndBoot(SourceBackup backup, string work, IReadOnlyList<QemuFirmware> firmwares,
        string extraArguments = "", Action<QemuMachineBuilder>? configure = null)
    {
        var disks = BlankDisks(work, 2, SourceMachine.DiskBytes);
        var nuke = Rescue(backup, disks, work, "nuke", extraArguments, configure: configure);
        Assert.That(nuke, Does.Contain("The restore is complete"));
        Assert.That(nuke, Does.Contain("[rk] stage 90-frontend: ok (rescuekit exited 0; rk.after=poweroff)"));

        AssertRestoredAsTheSource(disks, mirrors: 2);
        // Compare mode, booted from the same medium, finds /home and the ESP the same, and in / only what the restore
        // wrote after extracting: grub-install puts GRUB's modules, fonts and locales in /boot/grub again (new mtimes),
        // the tools run in the chroot leave /run's mtime changed, and the restore's records are in /var/log/rescuekit.
        // Anything else would be a file the restore lost or changed.
        var compare = Rescue(backup, disks, work, "compare", extraArguments, configure: configure);
        Assert.That(compare, Does.Contain("home (/home on /dev/mapper/vg0-home): same").And.Contain("boot-efi (/boot/efi on /dev/vda2): same"));
        // The second disk's ESP, which the source does not mount, came back with its files (a copy of the first's).
        Assert.That(compare, Does.Contain("esp-vdb2 (vfat on /dev/vdb2, not mounted on the host) on /dev/vdb2: same"));
        var differences = CompareDifference().Matches(compare).Select(m => m.Groups["path"].Value).ToList();
        Assert.That(differences, Is.Not.Empty, "grub-install rewrote /boot/grub");
        Assert.That(differences.Where(p => !p.StartsWith("boot/grub/", StringComparison.Ordinal) && p is not ("run" or "var/log")
                && !p.StartsWith("var/log/rescuekit", StringComparison.Ordinal)), Is.Empty,
            "compare found differences that the boot loader step and the restore's records do not explain");
        Assert.That(differences, Does.Contain("var/log/rescuekit/restore.log").And.Contain("var/log/rescuekit/restore-plan.json"),
            "the restore's records are in the restored system");
        Assert.That(compare, Does.Contain("[rk] stage 90-frontend: failed (rescuekit exited 1; rk.after=poweroff)"),
            "compare's exit code 1: something differs");
        foreach (var firmware in firmwares)
        {
            using var machine = SourceMachine.Boot($"restored-{firmware}", disks, firmware, work);
            if (firmware == QemuFirmware.SeaBios) Timings.Add(("restored_boot", machine.Elapsed.TotalSeconds));
            SourceMachine.AssertBootedWhole(machine, mirrors: 2);
        }
        return (nuke, compare);
    }

    /// <summary>
    /// The same backup onto one larger NVMe disk, from the expert shell: nuke alone refuses (two source disks, one
    /// target, and it never guesses), touching nothing; with --map putting /dev/vda on the NVMe disk and leaving
    /// /dev/vdb out, the RAID1 is made degraded. The restore is killed in the middle of extracting /, and --resume
    /// completes it. The initramfs is rebuilt for the NVMe controller, and the disk boots alone to the login prompt
    /// with the array running on one of its two mirrors.
    /// </summary>
    [Test]
    public void Nuke_OntoOneLargerNvmeDisk_WithMap_KilledAndResumed_BootsDegraded()
    {
        VmLab.RequireQemu();
        var backup = SourceBackup.Cached;
        var work = WorkDirectory("one-nvme");
        var disks = BlankDisks(work, 1, 2 * SourceMachine.DiskBytes);

        var builder = QemuMachine.Create("nuke-nvme").WithMemory(2048).WithCdrom(backup.Iso).WithNvmeDisk(disks[0], "rktarget0");
        using (var machine = builder.Build().Start())
        {
            RescueIsoBoot.OpenExpertShell(machine);
            var (refused, refusedCode) = machine.RunShell("rescuekit restore --mode nuke --unattended", TimeSpan.FromMinutes(5));
            Assert.That(refusedCode, Is.EqualTo(4), refused);
            Assert.That(refused, Does.Contain("no free disk here holds /dev/vdb").And.Contain("--map"));

            const string Nuke = "rescuekit restore --mode nuke --unattended --map /dev/vda=/dev/nvme0n1 --map /dev/vdb=none";
            // In the background, killed (nuke and its extract) once / has been extracting for a while.
            var (killed, _) = machine.RunShell(
                $"{Nuke} > /tmp/nuke.log 2>&1 & " +
                "i=0; until grep -q 'restore-root: the backup' /tmp/nuke.log || [ $i -gt 1200 ]; do sleep 1; i=$((i+1)); done; " +
                // Its children first (the extract), found by their parent in /proc/PID/stat, then the nuke itself:
                // not killall, which would take the front-end and this shell with them.
                "sleep 10; for p in /proc/[0-9]*; do [ \"$(cut -d' ' -f4 $p/stat 2>/dev/null)\" = $! ] && kill -9 ${p#/proc/}; done; " +
                "kill -9 $!; sleep 1; tail -n 3 /tmp/nuke.log; ls /run/rescuekit/restore",
                TimeSpan.FromMinutes(30));
            Assert.That(killed, Does.Contain("mount-root.done").And.Not.Contain("restore-root.done"), "killed while extracting /");

            var (resumed, resumedCode) = machine.RunShell($"{Nuke} --resume", TimeSpan.FromMinutes(30));
            Assert.That(resumedCode, Is.EqualTo(0), resumed);
            Assert.That(resumed, Does.Contain("Resuming:").And.Contain("initramfs").And.Contain("The restore is complete"));
            Assert.That(resumed, Does.Contain("is created degraded"));
            machine.SendLine("sync; poweroff -f");
            machine.WaitForExit(TimeSpan.FromMinutes(2));
        }

        AssertRestoredAsTheSource(disks, mirrors: 1, DiskBus.Nvme, esp: "/dev/nvme0n1p2", sameTables: false);
        using (var restored = SourceMachine.Boot("restored-nvme", disks, QemuFirmware.SeaBios, work, DiskBus.Nvme))
            SourceMachine.AssertBootedWhole(restored, mirrors: 1);
        Directory.Delete(work, recursive: true);
    }

    private static string WorkDirectory(string name)
    {
        // Under /var/tmp: the disks are 3 GiB sparse files, and the lab reaches them through the host's root.
        var work = Path.Combine("/var/tmp", $"rk-restore-e2e-{name}");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        return Directory.CreateDirectory(work).FullName;
    }

    private static List<string> BlankDisks(string work, int count, long bytes)
    {
        var disks = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(work, $"target{i}.img");
            using (var f = new FileStream(path, FileMode.CreateNew)) f.SetLength(bytes);
            disks.Add(path);
        }
        return disks;
    }

    /// <summary>
    /// Boots the backup ISO (as the CD) with <paramref name="disks"/> and the kernel command line of the medium's own
    /// entry for <paramref name="mode"/> plus <c>rk.unattended rk.after=poweroff</c>, as a site's automation would (the
    /// kernel and initrd read from the ISO by xorriso, since QEMU cannot edit a boot menu), and waits for the machine to
    /// power off. Returns the serial transcript.
    /// </summary>
    private static string Rescue(SourceBackup backup, IReadOnlyList<string> disks, string work, string mode, string extraArguments = "",
        DiskBus bus = DiskBus.Virtio, Action<QemuMachineBuilder>? configure = null)
    {
        var kernel = Path.Combine(work, "vmlinuz");
        var initrd = Path.Combine(work, "initrd.img");
        var grubCfg = Path.Combine(work, "grub.cfg");
        ExternalTool.RunOk("xorriso", "xorriso", ["-osirrox", "on", "-indev", backup.Iso,
            "-extract", "/boot/vmlinuz", kernel, "-extract", "/boot/initrd.img", initrd, "-extract", "/boot/grub/grub.cfg", grubCfg]);
        var entry = Regex.Match(File.ReadAllText(grubCfg), $@"menuentry ""[^""]*"" --id {mode} \{{\s*linux /boot/vmlinuz (?<args>[^\n]*)\n");
        Assert.That(entry.Success, Is.True, $"the medium's grub.cfg has a {mode} entry");
        var append = $"{entry.Groups["args"].Value.Trim()} rk.unattended rk.after=poweroff {extraArguments}".Trim();

        var builder = QemuMachine.Create(mode).WithMemory(2048).WithCdrom(backup.Iso).WithKernel(kernel, initrd, append);
        for (var i = 0; i < disks.Count; i++)
        {
            if (bus == DiskBus.Nvme) builder.WithNvmeDisk(disks[i], $"rktarget{i}");
            else builder.WithVirtioDisk(disks[i]);
        }
        configure?.Invoke(builder);
        using var machine = builder.Build().Start();
        if (mode == "nuke") RecordPhases(machine);
        machine.WaitFor(new Regex(@"\[rk\] stage 90-frontend: (ok|failed)[^\n]*\n"), NukeTimeout);
        machine.WaitForExit(TimeSpan.FromMinutes(2));
        TestContext.Progress.WriteLine($"{mode}: powered off after {machine.Elapsed.TotalSeconds:F0} s");
        return machine.Transcript;
    }

    /// <summary>
    /// Where a nuke's time goes, for bench/restore.sh (RK_RESTORE_TIMINGS=FILE): from QEMU's start to the front-end, to
    /// the first step, to the first extract, through the extracts, to "The restore is complete". A step that never
    /// comes fails the wait as any other would. The restored machine's boot is added by the test (<see cref="Timings"/>).
    /// </summary>
    private static void RecordPhases(QemuMachine machine)
    {
        var at = new List<(string Phase, TimeSpan Mark)>();
        void Mark(string phase, Regex pattern)
        {
            machine.WaitFor(pattern, NukeTimeout);
            at.Add((phase, machine.Elapsed));
        }
        Mark("rescue_boot", new Regex(@"RescueKit \S+ restore \(mode: nuke\)"));
        Mark("preflight", new Regex(@"\[1/\d+\] "));
        Mark("disks", new Regex(@"\] restore-\S+: the backup's set"));
        Mark("extraction", new Regex(@"\] (mkdir-binds|bind-dev|unmount-\S+): "));
        Mark("boot_loader", new Regex("The restore is complete"));
        var previous = TimeSpan.Zero;
        foreach (var (phase, mark) in at)
        {
            Timings.Add((phase, (mark - previous).TotalSeconds));
            previous = mark;
        }
    }

    /// <summary>Phase, seconds: written to RK_RESTORE_TIMINGS when that is set (bench/restore.sh).</summary>
    private static readonly List<(string Phase, double Seconds)> Timings = [];

    private static void WriteTimings()
    {
        if (Environment.GetEnvironmentVariable("RK_RESTORE_TIMINGS") is not { Length: > 0 } file) return;
        File.WriteAllLines(file, Timings.Select(t => $"{t.Phase} {t.Seconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    /// <summary>
    /// Assembles and mounts the restored disks in the VM lab (read-only) and compares them with the source machine as
    /// built: the marker tree's listing (types, modes, owners, sizes, mtimes, link targets, hashes, xattrs, the
    /// hard-linked pair), and the UUIDs of the filesystems, the array and the VG, and the partition tables' GUIDs.
    /// </summary>
    /// <param name="esp">The restored /boot/efi partition as the lab names it.</param>
    /// <param name="sameTables">The disks are the source's size and names: their partition tables must be the source's to the sector.</param>
    private static void AssertRestoredAsTheSource(IReadOnlyList<string> disks, int mirrors, DiskBus bus = DiskBus.Virtio,
        string esp = "/dev/vda2", bool sameTables = true)
    {
        var source = SourceMachine.Cached;
        using var lab = new VmLab("restored-check", ["raid1", "dm_mod", "ext4", "xfs"]);
        foreach (var disk in disks) lab.AttachDisk(disk, bus);
        var exit = lab.Run(SourceMachine.MarkerListing + """
            set -u
            T=/host/mnt/target
            mount -t tmpfs tmpfs /host/mnt
            hostrun /lib/systemd/systemd-udevd --daemon --resolve-names=never
            hostrun udevadm trigger --action=add
            hostrun udevadm settle --timeout=60
            hostrun cp -a /etc/lvm /tmp/lvm
            export LVM_SYSTEM_DIR=/tmp/lvm
            # udev may have assembled the array already; then this finds nothing more to do.
            hostrun mdadm --assemble --scan --run >assemble.log 2>&1
            hostrun vgchange -q -ay vg0 >>assemble.log 2>&1
            hostrun udevadm settle --timeout=60
            mkdir -p $T && mount -o ro -t ext4 /dev/vg0/root $T && mount -o ro,norecovery -t xfs /dev/vg0/home $T/home || exit 2
            marker_listing $T/home/rk-marker > markers.txt
            {
              echo "root_uuid=$(hostrun blkid -s UUID -o value /dev/vg0/root)"
              echo "home_uuid=$(hostrun blkid -s UUID -o value /dev/vg0/home)"
              echo "swap_uuid=$(hostrun blkid -s UUID -o value /dev/vg0/swap)"
              echo "esp_uuid=$(hostrun blkid -s UUID -o value ESP)"
              echo "md_uuid=$(hostrun mdadm --detail --export /dev/md* 2>/dev/null | sed -n 's/^MD_UUID=//p' | head -n 1)"
              echo "vg_uuid=$(hostrun vgs --noheadings -o vg_uuid vg0 | tr -d ' ')"
              echo "md_working=$(cat /sys/block/md*/md/degraded 2>/dev/null | head -n 1)"
            } > identities.txt
            hostrun lvs --noheadings -o lv_name,lv_uuid vg0 > lvs.txt
            for d in $(ls /sys/block | grep -E '^(vd|nvme)'); do hostrun sfdisk -d /dev/$d > sfdisk-$d.txt 2>&1; done
            umount $T/home; umount $T
            """.Replace("ESP", esp, StringComparison.Ordinal), TimeSpan.FromMinutes(10));
        Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));

        var layout = File.ReadAllText(source.LayoutFile);
        var identities = lab.ReadResult("identities.txt");
        string Restored(string name) => Regex.Match(identities, $"^{name}=(.*)$", RegexOptions.Multiline).Groups[1].Value.Trim();
        foreach (var name in new[] { "root_uuid", "home_uuid", "swap_uuid", "esp_uuid", "md_uuid", "vg_uuid" })
            Assert.That(Restored(name), Is.EqualTo(source.Identity(name)), $"{name}\n{identities}");
        Assert.That(Restored("md_working"), Is.EqualTo((2 - mirrors).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "the array's missing mirrors (md/degraded)");

        // The LVs by name with their UUIDs (lvs in layout.txt: name, size, UUID after a header line).
        var lvsSection = layout[(layout.IndexOf("# lvs\n", StringComparison.Ordinal) + 6)..];
        var sourceLvs = lvsSection[..lvsSection.IndexOf("\n#", StringComparison.Ordinal)].Split('\n').Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 3).Select(f => $"{f[0]} {f[2]}").Order();
        var restoredLvs = lab.ReadResult("lvs.txt").Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 2).Select(f => $"{f[0]} {f[1]}").Order();
        Assert.That(restoredLvs, Is.EqualTo(sourceLvs), "the LVs and their UUIDs");

        var expected = ComparableListing(File.ReadAllText(source.MarkersFile));
        var actual = ComparableListing(lab.ReadResult("markers.txt"));
        Assert.That(actual, Is.EqualTo(expected), "the restored marker tree differs from the source's");
        Assert.That(SparseBlocks(lab.ReadResult("markers.txt")), Is.LessThan(2048), "sparse.img came back sparse");
        var pair = HardLinkInodes().Matches(lab.ReadResult("markers.txt"));
        Assert.That(pair, Has.Count.EqualTo(2));
        Assert.That(pair[0].Groups[1].Value, Is.EqualTo(pair[1].Groups[1].Value), "the hard-linked pair is one inode again");

        // The partition tables: the disk GUID and every partition's GUID, type and name (sfdisk -d) come back.
        if (!sameTables) return;
        foreach (var (disk, i) in new[] { "vda", "vdb" }.Select((d, i) => (d, i)).Take(disks.Count))
        {
            var table = PartitionTable(layout, disk);
            Assert.That(lab.ReadResult($"sfdisk-{disk}.txt"), Is.EqualTo(table), $"the partition table of /dev/{disk}");
        }
    }

    /// <summary>The listing without what a restore cannot keep: inode numbers, and the 512-byte block counts (the
    /// filesystem allocates as it likes; sparseness is checked on its own).</summary>
    private static string ComparableListing(string listing) =>
        string.Join('\n', listing.Split('\n').Select(line =>
        {
            var entry = EntryLine().Match(line);
            if (entry.Success) return $"{entry.Groups["head"].Value} * {entry.Groups["tail"].Value}";
            var inode = HardLinkInodes().Match(line);
            return inode.Success ? line[(inode.Groups[1].Length + 1)..] : line;
        }));

    private static long SparseBlocks(string listing) =>
        long.Parse(EntryLine().Match(listing.Split('\n').Single(l => l.StartsWith("sparse.img ", StringComparison.Ordinal))).Groups["blocks"].Value,
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The `sfdisk -d /dev/DISK` section of the source's layout.txt.</summary>
    private static string PartitionTable(string layout, string disk)
    {
        var start = layout.IndexOf($"# sfdisk -d /dev/{disk}\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"layout.txt has no sfdisk -d /dev/{disk}");
        start = layout.IndexOf('\n', start) + 1;
        var end = layout.IndexOf("\n# ", start, StringComparison.Ordinal);
        return layout[start..(end + 1)];
    }

    /// <summary>A find line: path type mode uid:gid size, then blocks, then mtime and link target.</summary>
    [GeneratedRegex(@"^(?<head>\S+ [a-z] \d+ \d+:\d+ \d+) (?<blocks>\d+) (?<tail>.*)$")]
    private static partial Regex EntryLine();

    /// <summary>A line of compare mode's report for the root set: "  root: changed PATH: ...", added, removed.</summary>
    [GeneratedRegex(@"^  root: (changed|added|removed) (?<path>[^:\n]+)", RegexOptions.Multiline)]
    private static partial Regex CompareDifference();

    [GeneratedRegex(@"^(\d+) 2 /home/rk-marker/", RegexOptions.Multiline)]
    private static partial Regex HardLinkInodes();
}
