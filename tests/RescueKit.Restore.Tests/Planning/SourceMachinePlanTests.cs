using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Discovery.Layout;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Planning;

using static RescueKit.Restore.Tests.Planning.PlanFixtures;

namespace RescueKit.Restore.Tests.Planning;

/// <summary>
/// The plan for the restore end-to-end test's source machine (Fixtures/source-machine-layout.json, what `rescuekit
/// layout save` wrote inside it: Debian 13 on two virtio disks, GPT with BIOS boot and ESP on each, md RAID1, LVM on
/// it) onto two blank disks of its size: the order the booted restore depends on, and the identities it puts back.
/// </summary>
public class SourceMachinePlanTests
{
    private static readonly string LayoutPath = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "Fixtures", "source-machine-layout.json");

    private static (HostLayout Layout, RestorePlan Plan) PlanOntoTwoBlankDisks(IReadOnlyDictionary<string, string>? unmountedSets = null)
    {
        var layout = LayoutJson.Load(LayoutPath);
        var targets = TargetDisk.From(Lsblk.Parse("""
            {"blockdevices":[{"name":"vda","path":"/dev/vda","type":"disk","size":3221225472,"tran":"virtio"},
                             {"name":"vdb","path":"/dev/vdb","type":"disk","size":3221225472,"tran":"virtio"}]}
            """), new Dictionary<string, string>());
        var mapping = DiskMapper.Map(layout.Disks, targets, RestorePlanner.RequiredSize);
        return (layout, RestorePlanner.Plan(layout, mapping,
            new RestorePlanOptions { ToolVersion = "test", UnmountedSets = unmountedSets ?? new Dictionary<string, string>() }));
    }

    [Test]
    public void TheSecondEsp_WhichTheHostDidNotMount_GetsItsSetBack_MountedAside_BeforeTheBootLoader()
    {
        var (layout, plan) = PlanOntoTwoBlankDisks(new Dictionary<string, string> { ["/dev/vdb2"] = "esp-vdb2" });

        Assert.That(layout.Filesystems.Single(f => f.Device == "/dev/vdb2").MountPoint, Is.Null, "the fixture's second ESP is not mounted");
        var mount = Step(plan, "mount-unmounted-vdb2");
        Assert.That(mount.Argv, Is.EqualTo(new[] { "mount", "-t", "vfat", "/dev/vdb2", "/run/rescuekit/unmounted/vdb2" }));
        Assert.That(mount.DependsOn, Does.Contain("mkfs-vdb2"));
        var extract = Step(plan, "restore-esp-vdb2");
        Assert.That(extract.Argv, Is.EqualTo(new[] { "rescuekit", "extract", RestorePlanOptions.NoBackup, "--set", "esp-vdb2", "--to", "/run/rescuekit/unmounted/vdb2", "--progress" }));
        Assert.That(extract.DependsOn, Does.Contain("mount-unmounted-vdb2"));
        Assert.That(Step(plan, "unmount-unmounted-vdb2").DependsOn, Does.Contain("restore-esp-vdb2"));
        var ids = plan.Steps.Select(s => s.Id).ToList();
        Assert.That(ids.IndexOf("restore-esp-vdb2"), Is.LessThan(ids.FindIndex(i => i.StartsWith("grub-", StringComparison.Ordinal) || i.StartsWith("bootloader", StringComparison.Ordinal))));
    }

    [Test]
    public void WithoutASetForIt_TheSecondEspIsOnlyMade()
    {
        var (_, plan) = PlanOntoTwoBlankDisks();

        Assert.That(plan.Steps.Select(s => s.Id), Has.Some.EqualTo("mkfs-vdb2").And.None.Contains("unmounted"));
    }

    [Test]
    public void TheVgAndLvUuidsArePutBack_AfterTheLvsAndBeforeAnyMkfsOnThem()
    {
        var (layout, plan) = PlanOntoTwoBlankDisks();
        var vg = layout.Lvm.VolumeGroups.Single();
        var ids = plan.Steps.Select(s => s.Id).ToList();

        var uuids = Step(plan, "lvm-uuids-vg0");

        Assert.That(uuids.Argv.Take(2), Is.EqualTo(new[] { "sh", "-c" }));
        Assert.That(uuids.Argv.Skip(3), Is.EqualTo(new[] { "rk-lvm-uuids", "vg0", vg.Uuid, "plain" }
            .Concat(vg.LogicalVolumes.SelectMany(lv => new[] { lv.Name, lv.Uuid }))));
        foreach (var lv in vg.LogicalVolumes)
            Assert.That(ids.IndexOf($"lv-vg0-{lv.Name}"), Is.LessThan(ids.IndexOf("lvm-uuids-vg0")), lv.Name);
        Assert.That(uuids.DependsOn, Does.Contain("vg-vg0").And.Contain("lv-vg0-root"));
        Assert.That(Step(plan, "mkfs-mapper-vg0-root").DependsOn, Does.Contain("lvm-uuids-vg0"), "mkfs waits for the VG to be active again");
        Assert.That(Step(plan, "mkswap-mapper-vg0-swap").DependsOn, Does.Contain("lvm-uuids-vg0"));
        Assert.That(plan.Notes, Has.None.Contains("new UUIDs"));
    }

    [Test]
    public void ThePlanAndTheLogsAreKeptInTheRestoredSystem_AfterTheBootLoaderAndBeforeTheUnmounts()
    {
        var (_, plan) = PlanOntoTwoBlankDisks();
        var ids = plan.Steps.Select(s => s.Id).ToList();

        var keep = Step(plan, "keep-records");

        Assert.That(keep.Argv.Skip(3), Is.EqualTo(new[]
        {
            "rk-keep-records", "/mnt/target", "/run/rescuekit/restore/restore-plan.json", "/run/rescuekit/restore/restore-plan.sh",
            "/run/rescuekit/restore/restore.log", "/run/rescuekit/init.log",
        }));
        Assert.That(ids.IndexOf("keep-records"), Is.GreaterThan(ids.IndexOf("grub-vdb")).And.GreaterThan(ids.IndexOf("restore-root")));
        Assert.That(ids.IndexOf("keep-records"), Is.LessThan(ids.IndexOf("unmount-root")).And.LessThan(ids.IndexOf("unbind-dev")));
        Assert.That(Step(plan, "unmount-root").DependsOn, Does.Contain("keep-records"));
    }

    [Test]
    public void BothMirrorsGetBiosGrub_AndTheArrayItsUuidAssumedClean_AndNoInitramfsRebuild()
    {
        var (layout, plan) = PlanOntoTwoBlankDisks();

        Assert.That(Step(plan, "grub-vda").Argv, Is.EqualTo(new[] { "chroot", "/mnt/target", "grub-install", "--target=i386-pc", "/dev/vda" }));
        Assert.That(Step(plan, "grub-vdb").Argv[^1], Is.EqualTo("/dev/vdb"));
        Assert.That(Step(plan, "raid-md0").Argv, Does.Contain($"--uuid={layout.MdArrays.Single().Uuid}").And.Contain("--assume-clean"));
        // mdadm --detail said "rk-source:root"; mdadm 4.3's --create refuses a ':' in --name.
        Assert.That(Step(plan, "raid-md0").Argv, Does.Contain("--name=root").And.Contain("--homehost=rk-source"));
        Assert.That(plan.Steps.Select(s => s.Kind), Has.None.EqualTo(RestoreStepKinds.Initramfs), "the same controllers (virtio) as before");
        Assert.That(Step(plan, "mkfs-vdb2").Argv, Does.Contain("mkfs.fat").Or.Contain("mkfs.vfat"), "the second ESP is made too, with its volume id");
    }

    [Test]
    public void OntoOneDiskTwiceTheSize_TheSecondLeftOut_TheDegradedArrayAndItsLvsGrow()
    {
        var layout = LayoutJson.Load(LayoutPath);
        var targets = TargetDisk.From(Lsblk.Parse("""
            {"blockdevices":[{"name":"vda","path":"/dev/vda","type":"disk","size":6442450944,"tran":"virtio"}]}
            """), new Dictionary<string, string>());
        var mapping = DiskMapper.Map(layout.Disks, targets, RestorePlanner.RequiredSize,
            new Dictionary<string, string> { ["/dev/vda"] = "/dev/vda", ["/dev/vdb"] = DiskMapper.Skip });

        var plan = RestorePlanner.Plan(layout, mapping, new RestorePlanOptions { ToolVersion = "test" });

        Assert.That(Step(plan, "raid-md0").Argv, Does.Contain("missing"));
        // The member left out (/dev/vdb3, of the old size) does not hold the array back, so the VG's LVs scale up.
        var root = layout.Lvm.VolumeGroups.Single().LogicalVolumes.Single(lv => lv.Name == "root");
        var size = Step(plan, "lv-vg0-root").Argv.SkipWhile(a => a != "--size").ElementAt(1);
        Assert.That(long.Parse(size.TrimEnd('k')) * 1024, Is.GreaterThan(root.Size * 3 / 2), size);
    }
}
