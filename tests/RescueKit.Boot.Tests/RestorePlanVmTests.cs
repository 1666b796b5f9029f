using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Cli.Tests;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

/// <summary>
/// A restore plan run for real: `rescuekit restore --dry-run` plans the raid1 lab machine's layout onto two blank disks,
/// and its restore-plan.sh runs in the VM lab with the host's own sfdisk, mdadm and mke2fs. The disks must come out
/// with the layout's identities: partition GUIDs and names, the array's UUID, the filesystem's UUID and label.
/// (The extract steps are stubbed: this plan names no backup.)
/// </summary>
[Category("Boot")]
public sealed partial class RestorePlanVmTests
{
    private const long MiB = 1024 * 1024;

    private static string Fixture(params string[] parts) => Path.Combine([RepoPaths.Root, "tests", .. parts]);

    [Test]
    public void Raid1Plan_RecreatesPartitionsArrayAndFilesystem_WithTheLayoutsIdentities()
    {
        VmLab.RequireQemu();
        using var lab = new VmLab("restore-raid1", extraModules: ["raid1", "ext4"]);
        lab.AddBlankDisk(128 * MiB);
        lab.AddBlankDisk(128 * MiB);
        var disks = Path.Combine(lab.ShareDirectory, "disks.json");
        Directory.CreateDirectory(lab.ShareDirectory);
        File.WriteAllText(disks, """
            {"blockdevices":[{"name":"vda","path":"/dev/vda","type":"disk","size":134217728},
                             {"name":"vdb","path":"/dev/vdb","type":"disk","size":134217728}]}
            """);
        var (code, output) = RescueIsoFixture.RunBinary("restore", "--dry-run",
            "--layout", Fixture("RescueKit.Restore.Tests", "Fixtures", "raid1-layout.json"), "--disks", disks, "--out", lab.ShareDirectory);
        Assert.That(code, Is.EqualTo(0), output);

        var exit = lab.Run("""
            mkdir -p /tmp/bin
            for t in wipefs sfdisk mdadm mke2fs; do printf '#!/bin/sh\nexec hostrun %s "$@"\n' $t > /tmp/bin/$t; chmod +x /tmp/bin/$t; done
            printf '#!/bin/sh\necho "extract not run: $*"\n' > /tmp/bin/rescuekit; chmod +x /tmp/bin/rescuekit
            hostrun /lib/systemd/systemd-udevd --daemon
            PATH=/tmp/bin:$PATH sh /lab/restore-plan.sh > plan.log 2>&1; echo $? > plan-exit
            hostrun mdadm --detail --export /dev/md0 > md0.txt
            hostrun blkid -o export /dev/md0 > blkid-md0.txt
            hostrun sfdisk -J /dev/vda > vda.json
            hostrun sfdisk -J /dev/vdb > vdb.json
            ls /run/rescuekit/restore > markers.txt
            grep -c /mnt/target /proc/mounts > still-mounted || true
            """, TimeSpan.FromMinutes(5));

        Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));
        Assert.That(lab.ReadResult("plan-exit").Trim(), Is.EqualTo("0"), lab.ReadResult("plan.log"));
        var layout = File.ReadAllText(Fixture("RescueKit.Restore.Tests", "Fixtures", "raid1-layout.json"));
        string FromLayout(string field, int nth = 0) =>
            Regex.Matches(layout, $"\"{field}\": \"([^\"]+)\"")[nth].Groups[1].Value;

        Assert.That(lab.ReadResult("md0.txt"), Does.Contain($"MD_UUID={FromLayout("uuid", 2)}").And.Contain("MD_LEVEL=raid1"));
        var blkid = lab.ReadResult("blkid-md0.txt");
        Assert.That(blkid, Does.Contain("TYPE=ext4").And.Contain("LABEL=data"));
        Assert.That(blkid, Does.Contain($"UUID={LayoutFilesystemUuid(layout)}"));
        Assert.That(lab.ReadResult("vda.json"), Does.Contain(FromLayout("tableId").ToLowerInvariant()).IgnoreCase
            .And.Contain("\"name\": \"raid-vda\"").And.Contain(FromLayout("uuid", 0)));
        Assert.That(lab.ReadResult("vdb.json"), Does.Contain("\"name\": \"raid-vdb\""));
        Assert.That(lab.ReadResult("markers.txt"), Does.Contain("raid-md0.done").And.Contain("unmount-mnt-data.done"));
        Assert.That(lab.ReadResult("still-mounted").Trim(), Is.EqualTo("0"), "every mount of the plan was undone");
        Assert.That(lab.ReadResult("plan.log"), Does.Contain("extract not run: extract BACKUP --set mnt-data --to /mnt/target/mnt/data --progress"));
    }

    /// <summary>The UUID of the layout's one filesystem (the "filesystems" list's entry).</summary>
    private static string LayoutFilesystemUuid(string layout)
    {
        var filesystems = layout[layout.IndexOf("\"filesystems\"", StringComparison.Ordinal)..];
        return Regex.Match(filesystems, "\"uuid\": \"([^\"]+)\"").Groups[1].Value;
    }

    /// <summary>
    /// A backup of a real filesystem (every kind of entry), planned with `--dry-run --backup` onto a blank disk of the
    /// lab and restored by the plan's script in the guest: mkfs with the filesystem's UUID, the mount, `rescuekit
    /// extract`; then `rescuekit compare` of the restored tree against the backup finds no difference. The host's
    /// rescuekit runs in the guest through the host's own loader and libraries (/host), as it would from a rescue medium.
    /// </summary>
    [Test]
    public void BackupRestoredByItsPlan_ComparesEqual_AndKeepsTheFilesystemUuid()
    {
        VmLab.RequireQemu();
        // Under /var/tmp, on the root filesystem the lab shares (the host's /tmp may be a filesystem of its own).
        var scratch = Directory.CreateDirectory(Path.Combine("/var/tmp", $"rk-restore-vm-{Guid.NewGuid():N}")).FullName;
        try
        {
            using var source = new LoopFilesystem(scratch, "64M");
            source.Shell("""
                mkdir -p etc/deep && printf 'hello\n' > etc/hello.txt && chown 1234:5678 etc/hello.txt
                head -c 300000 /dev/urandom > random.bin && ln random.bin hardlink.bin && ln -s etc/hello.txt link
                truncate -s 8M sparse.img && printf middle | dd of=sparse.img bs=1 seek=4194304 conv=notrunc 2>/dev/null
                setfattr -n user.comment -v kept etc/hello.txt && mkfifo fifo
                """);
            var uuid = ExternalTool.RunOk("blkid", "util-linux", ["-s", "UUID", "-o", "value", source.Device]).Trim();
            var config = Path.Combine(scratch, "empty.yaml");
            File.WriteAllText(config, "");
            var target = Directory.CreateDirectory(Path.Combine(scratch, "backups")).FullName;
            var (code, output) = RescueIsoFixture.RunBinary("backup", "--device", source.Device, "--to", target, "--config", config);
            Assert.That(code, Is.EqualTo(0), output);
            var backup = Regex.Match(output, @"Backup: (\S+) \(").Groups[1].Value;

            using var lab = new VmLab("restore-backup", extraModules: ["ext4"]);
            lab.AddBlankDisk(64 * MiB);
            Directory.CreateDirectory(lab.ShareDirectory);
            var disks = Path.Combine(lab.ShareDirectory, "disks.json");
            File.WriteAllText(disks, """{"blockdevices":[{"name":"vda","path":"/dev/vda","type":"disk","size":67108864}]}""");
            // The guest reaches the backup through /host; the plan names it so.
            (code, output) = RescueIsoFixture.RunBinary("restore", "--dry-run", "--backup", backup, "--disks", disks, "--out", lab.ShareDirectory);
            Assert.That(code, Is.EqualTo(0), output);
            var planScript = Path.Combine(lab.ShareDirectory, "restore-plan.sh");
            File.WriteAllText(planScript, File.ReadAllText(planScript).Replace($" {backup} ", $" /host{backup} "));

            var exit = lab.Run($$"""
                mkdir -p /tmp/bin
                for t in wipefs mke2fs; do printf '#!/bin/sh\nexec hostrun %s "$@"\n' $t > /tmp/bin/$t; chmod +x /tmp/bin/$t; done
                printf '#!/bin/sh\nLD_LIBRARY_PATH=/host/usr/lib/x86_64-linux-gnu exec /host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /host{{RescueIsoFixture.Binary}} "$@"\n' > /tmp/bin/rescuekit
                chmod +x /tmp/bin/rescuekit
                PATH=/tmp/bin:$PATH sh /lab/restore-plan.sh > plan.log 2>&1; echo $? > plan-exit
                hostrun blkid -o export /dev/vda > blkid.txt
                mkdir -p /mnt/check && mount -t ext4 -o ro /dev/vda /mnt/check
                PATH=/tmp/bin:$PATH rescuekit compare /host{{backup}} --root /mnt/check > compare.txt 2>&1; echo $? > compare-exit
                umount /mnt/check
                """, TimeSpan.FromMinutes(5));

            Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));
            Assert.That(lab.ReadResult("plan-exit").Trim(), Is.EqualTo("0"), lab.ReadResult("plan.log"));
            Assert.That(lab.ReadResult("blkid.txt"), Does.Contain($"UUID={uuid}").And.Contain("TYPE=ext4"));
            Assert.That(lab.ReadResult("compare-exit").Trim(), Is.EqualTo("0"), lab.ReadResult("compare.txt"));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
