using RescueKit.Boot.Tests.Harness;
using RescueKit.Cli.Tests;
using System.Text.Json.Nodes;

namespace RescueKit.Boot.Tests;

public sealed partial class RestorePlanVmTests
{
    /// <summary>
    /// The lvm lab machine's plan (a linear, a striped and a thin LV in a thin pool) run by its restore-plan.sh onto
    /// two blank disks: the VG and every LV, the thin ones included, come back with the layout's UUIDs, and each
    /// filesystem with its own.
    /// </summary>
    [Test]
    public void LvmPlan_WithAThinPool_PutsBackTheVgAndLvUuids()
    {
        VmLab.RequireQemu();
        RescueKit.Tests.Shared.ExternalTool.Require("thin_check", "thin-provisioning-tools");
        var layoutFile = Fixture("RescueKit.Restore.Tests", "Fixtures", "lvm-layout.json");
        var layout = JsonNode.Parse(File.ReadAllText(layoutFile))!;
        using var lab = new VmLab("restore-lvm", extraModules: ["dm_mod", "dm_thin_pool", "ext4", "xfs"]);
        lab.AddBlankDisk(600 * MiB);
        lab.AddBlankDisk(600 * MiB);
        Directory.CreateDirectory(lab.ShareDirectory);
        var disks = Path.Combine(lab.ShareDirectory, "disks.json");
        File.WriteAllText(disks, """
            {"blockdevices":[{"name":"vda","path":"/dev/vda","type":"disk","size":629145600},
                             {"name":"vdb","path":"/dev/vdb","type":"disk","size":629145600}]}
            """);
        var (code, output) = RescueIsoFixture.RunBinary("restore", "--dry-run", "--layout", layoutFile, "--disks", disks, "--out", lab.ShareDirectory);
        Assert.That(code, Is.EqualTo(0), output);

        var exit = lab.Run("""
            mkdir -p /tmp/bin
            for t in wipefs sfdisk lvm mke2fs mkfs.xfs thin_check; do printf '#!/bin/sh\nexec hostrun %s "$@"\n' $t > /tmp/bin/$t; chmod +x /tmp/bin/$t; done
            printf '#!/bin/sh\necho "extract not run: $*"\n' > /tmp/bin/rescuekit; chmod +x /tmp/bin/rescuekit
            # LVM writes metadata backups under its system directory; the host's /etc is read-only in the lab.
            hostrun cp -a /etc/lvm /tmp/lvm
            export LVM_SYSTEM_DIR=/tmp/lvm
            # The identity step's shell (the guest's) and its lvm (the host's, chrooted) share /run, as in the rescue system.
            umount /host/run && mount --bind /run /host/run
            hostrun /lib/systemd/systemd-udevd --daemon
            PATH=/tmp/bin:$PATH sh /lab/restore-plan.sh > plan.log 2>&1; echo $? > plan-exit
            hostrun lvm vgs --noheadings -o vg_uuid vg0 > vg.txt
            hostrun lvm lvs --noheadings -o lv_name,lv_uuid vg0 > lvs.txt
            for lv in root data thin; do hostrun blkid -s UUID -o value /dev/mapper/vg0-$lv || echo "no filesystem on vg0-$lv"; done > fs.txt
            """, TimeSpan.FromMinutes(6));

        Assert.That(lab.ReadResult("plan-exit").Trim(), Is.EqualTo("0"), lab.ReadResult("plan.log"));
        Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));
        var vg = layout["lvm"]!["volumeGroups"]![0]!;
        Assert.That(lab.ReadResult("vg.txt").Trim(), Is.EqualTo((string)vg["uuid"]!));
        var lvs = lab.ReadResult("lvs.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(f => f[0], f => f[1]);
        foreach (var lv in vg["logicalVolumes"]!.AsArray())
            Assert.That(lvs.GetValueOrDefault((string)lv!["name"]!), Is.EqualTo((string)lv["uuid"]!), $"{lv["name"]} ({lv["segmentType"]})");
        var filesystems = layout["filesystems"]!.AsArray();
        Assert.That(lab.ReadResult("fs.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "root", "data", "thin" }.Select(n => (string)filesystems.Single(f => (string)f!["device"]! == $"/dev/mapper/vg0-{n}")!["uuid"]!)));
    }
}
