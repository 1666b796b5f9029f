using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Planning;
using RescueKit.Tests.Shared;

using static RescueKit.Restore.Tests.Planning.PlanFixtures;

namespace RescueKit.Restore.Tests.Planning;

/// <summary>
/// The btrfs of the lab's `btrfs` machine (subvolumes @ and @home mounted by subvol=, @/var nested in @,
/// @/var/lib/machines inside a plain directory of it, a read-only snapshot under @snapshots, @ the default) planned
/// onto a blank disk, and the plan's btrfs steps run for real on a loop device.
/// </summary>
public class BtrfsSubvolumePlanTests
{
    private static readonly string[] SourcePaths = ["@", "@home", "@/var", "@/var/lib/machines", "@snapshots", "@snapshots/1/snapshot"];

    private static RestorePlan Plan(HostLayout layout, string targetRoot = Core.RescuePaths.TargetRoot)
    {
        var mapping = DiskMapper.Map(layout.Disks, Blank("/dev/vda 256"), RestorePlanner.RequiredSize, new Dictionary<string, string>());
        return RestorePlanner.Plan(layout, mapping, new RestorePlanOptions { ToolVersion = "test", TargetRoot = targetRoot });
    }

    [Test]
    public void Capture_GivesEverySubvolumeItsPathFromTheTopLevel_TheReadOnlyOne_AndTheDefault()
    {
        var btrfs = Layout("btrfs").Filesystems.Single().Btrfs!;

        Assert.That(btrfs.Subvolumes.Select(v => v.Path), Is.EquivalentTo(SourcePaths),
            "listed through the subvol=@ mount, btrfs prints @/var as 'var'");
        Assert.That(btrfs.Subvolumes.Where(v => v.ReadOnly).Select(v => v.Path), Is.EqualTo(new[] { "@snapshots/1/snapshot" }));
        Assert.That(btrfs.DefaultSubvolume, Is.EqualTo("@"));
        Assert.That(btrfs.Subvolumes.Where(v => v.MountPoint is not null).Select(v => (v.Path, v.MountPoint)),
            Is.EquivalentTo(new[] { ("@", (string?)"/mnt/root"), ("@home", (string?)"/mnt/root/home") }));
    }

    [Test]
    public void Subvolumes_AreCreatedParentsFirst_OnTheTopLevel_BeforeTheSubvolumeMounts()
    {
        var plan = Plan(Layout("btrfs"));

        var creates = plan.Steps.Where(s => s.Argv.Take(3).SequenceEqual(["btrfs", "subvolume", "create"])).ToList();
        var top = Step(plan, "mount-btrfs-vda1");
        Assert.That(top.Argv, Is.EqualTo(new[] { "mount", "-t", "btrfs", "-o", "subvolid=5", "/dev/vda1", "/run/rescuekit/btrfs/vda1" }));
        Assert.That(top.DependsOn, Does.Contain("mkfs-vda1"));
        Assert.That(creates.Select(s => s.Argv[3]["/run/rescuekit/btrfs/vda1/".Length..]), Is.EquivalentTo(SourcePaths));
        foreach (var create in creates)
        {
            var path = create.Argv[3]["/run/rescuekit/btrfs/vda1/".Length..];
            // Every subvolume comes after the one it is in.
            foreach (var outer in creates.Where(c => path.StartsWith(c.Argv[3]["/run/rescuekit/btrfs/vda1/".Length..] + "/", StringComparison.Ordinal)))
                Assert.That(plan.Steps.ToList().IndexOf(outer), Is.LessThan(plan.Steps.ToList().IndexOf(create)), $"{path} before the subvolume it is in");
            Assert.That(create.Writes, Is.EqualTo(new[] { "/dev/vda1" }));
        }
        // @/var/lib/machines sits in the plain directory lib of @/var: made first.
        var machines = creates.Single(c => c.Argv[3].EndsWith("/@/var/lib/machines", StringComparison.Ordinal));
        Assert.That(plan.Steps.Single(s => s.DependsOn.Count > 0 && machines.DependsOn.Contains(s.Id) && s.Kind == RestoreStepKinds.Directory).Argv,
            Is.EqualTo(new[] { "mkdir", "-p", "/run/rescuekit/btrfs/vda1/@/var/lib" }));
        Assert.That(Step(plan, "subvol-default-vda1").Argv, Is.EqualTo(new[] { "btrfs", "subvolume", "set-default", "/run/rescuekit/btrfs/vda1/@" }));

        var root = Step(plan, "mount-mnt-root");
        Assert.That(root.Argv, Is.EqualTo(new[] { "mount", "-t", "btrfs", "-o", "subvol=/@", "/dev/vda1", "/mnt/target/mnt/root" }));
        Assert.That(Step(plan, "mount-mnt-root-home").Argv, Is.EqualTo(new[] { "mount", "-t", "btrfs", "-o", "subvol=/@home", "/dev/vda1", "/mnt/target/mnt/root/home" }));
        var atCreate = creates.Single(c => c.Argv[3].EndsWith("/@", StringComparison.Ordinal));
        Assert.That(root.DependsOn, Does.Contain(atCreate.Id), "the subvolume is mounted after it was made");
    }

    [Test]
    public void EachSubvolumeMount_GetsItsOwnSet_TheSnapshotIsMadeReadOnlyAfterThem_AndTheNotesSayWhatStaysEmpty()
    {
        var plan = Plan(Layout("btrfs"));

        Assert.That(Step(plan, "restore-mnt-root").Argv, Does.Contain("/mnt/target/mnt/root"));
        Assert.That(Step(plan, "restore-mnt-root-home").Argv, Does.Contain("/mnt/target/mnt/root/home"));
        var readOnly = plan.Steps.Single(s => s.Argv.Take(3).SequenceEqual(["btrfs", "property", "set"]));
        Assert.That(readOnly.Argv, Is.EqualTo(new[] { "btrfs", "property", "set", "-ts", "/run/rescuekit/btrfs/vda1/@snapshots/1/snapshot", "ro", "true" }));
        Assert.That(readOnly.DependsOn, Does.Contain("restore-mnt-root").And.Contain("restore-mnt-root-home"));
        var unmountTop = Step(plan, "unmount-btrfs-vda1");
        Assert.That(plan.Steps.ToList().IndexOf(unmountTop), Is.GreaterThan(plan.Steps.ToList().IndexOf(readOnly)));
        // @snapshots is mounted nowhere, so no set holds it or the snapshot in it.
        Assert.That(plan.Notes, Has.Some.Contains("@snapshots/1/snapshot").And.Contains("recreated empty"));
        Assert.That(plan.Notes, Has.None.Contains("not recreated"));
    }

    [Test]
    public void TheBtrfsSteps_RunForReal_OnALoopDevice_GiveTheSameSubvolumes()
    {
        if (!Environment.IsPrivilegedProcess) Assert.Fail("this test makes and mounts a btrfs on a loop device: run it as root");
        ExternalTool.Require("mkfs.btrfs", "btrfs-progs");
        var work = Directory.CreateTempSubdirectory("rk-btrfs-plan-").FullName;
        var image = Path.Combine(work, "disk.img");
        using (var f = File.Create(image)) f.SetLength(256L << 20);
        var loop = ExternalTool.RunOk("losetup", "mount", ["--find", "--show", image]).Trim();
        var targetRoot = Path.Combine(work, "target");
        var plan = Plan(Layout("btrfs"), targetRoot);
        var check = Path.Combine(work, "check");
        try
        {
            // The partition the plan writes is the loop device itself (no partition scanning here); extracts need a
            // backup, so each mounted set gets one file instead.
            foreach (var step in plan.Steps.Where(s => s.Kind is not (RestoreStepKinds.Wipe or RestoreStepKinds.Partition or RestoreStepKinds.Extract)
                                                       && s.Id != "keep-records"))
            {
                var argv = step.Argv.Select(a => a == "/dev/vda1" ? loop : a).ToList();
                ExternalTool.RunOk(argv[0], "btrfs-progs", argv.Skip(1));
                if (step.Id == "mount-mnt-root-home")
                {
                    File.WriteAllText(Path.Combine(targetRoot, "mnt/root/var/lib/machines/marker"), "in @/var/lib/machines");
                    File.WriteAllText(Path.Combine(targetRoot, "mnt/root/home/marker"), "in @home");
                }
            }

            Directory.CreateDirectory(check);
            ExternalTool.RunOk("mount", "mount", ["-t", "btrfs", "-o", "ro,subvolid=5", loop, check]);
            var list = ExternalTool.RunOk("btrfs", "btrfs-progs", ["subvolume", "list", "-p", check]);
            var readOnly = ExternalTool.RunOk("btrfs", "btrfs-progs", ["subvolume", "list", "-p", "-r", check]);
            var defaultSubvolume = ExternalTool.RunOk("btrfs", "btrfs-progs", ["subvolume", "get-default", check]);
            Assert.That(list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf(" path ", StringComparison.Ordinal) + 6)..]),
                Is.EquivalentTo(SourcePaths));
            Assert.That(readOnly, Does.Contain("path @snapshots/1/snapshot").And.Not.Contain("path @home"));
            Assert.That(defaultSubvolume.Trim(), Does.EndWith("path @"));
            Assert.That(File.ReadAllText(Path.Combine(check, "@/var/lib/machines/marker")), Is.EqualTo("in @/var/lib/machines"));
            Assert.That(File.ReadAllText(Path.Combine(check, "@home/marker")), Is.EqualTo("in @home"));
            Assert.That(File.ReadAllLines("/proc/mounts").Where(l => l.Contains(targetRoot, StringComparison.Ordinal) || l.Contains("/run/rescuekit/btrfs/", StringComparison.Ordinal)),
                Is.Empty, "the plan unmounts all it mounted");
        }
        finally
        {
            foreach (var dir in new[] { check, Path.Combine(targetRoot, "mnt/root/home"), Path.Combine(targetRoot, "mnt/root"), "/run/rescuekit/btrfs/vda1" })
                ExternalTool.Run("umount", "mount", [dir]);
            ExternalTool.Run("losetup", "mount", ["-d", loop]);
            Directory.Delete(work, recursive: true);
        }
    }
}
