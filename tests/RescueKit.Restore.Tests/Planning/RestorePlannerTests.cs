using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Discovery.Layout;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Planning;

using static RescueKit.Restore.Tests.Planning.PlanFixtures;

namespace RescueKit.Restore.Tests.Planning;

/// <summary>
/// Plans made from layouts captured on the VM lab's machines (tests/RescueKit.Discovery.Tests/Fixtures/layout) onto
/// target machines given as lsblk output: the steps, their order and dependencies, and the identities they carry.
/// </summary>
public class RestorePlannerTests
{
    private static RestorePlan Plan(HostLayout layout, IReadOnlyList<TargetDisk> targets, params string[] given)
    {
        var mapping = DiskMapper.Map(layout.Disks, targets, RestorePlanner.RequiredSize,
            given.Select(g => g.Split('=')).ToDictionary(p => p[0], p => p[1]));
        return RestorePlanner.Plan(layout, mapping, new RestorePlanOptions { ToolVersion = "test" });
    }

    [Test]
    public void Raid1_OntoIdenticalDisks()
    {
        var layout = Layout("raid1");

        var plan = Plan(layout, Blank("/dev/vda 128", "/dev/vdb 128"));

        Assert.That(plan.Steps.Select(s => s.Id), Is.EqualTo(new[]
        {
            "wipe-vda", "partition-vda", "wipe-vdb", "partition-vdb", "raid-md0", "mkfs-md0", "mkdir-mnt-data", "mount-mnt-data",
            "restore-mnt-data", "unmount-mnt-data",
        }));
        var md = layout.MdArrays.Single();
        var raid = Step(plan, "raid-md0");
        Assert.That(md.Name, Is.EqualTo("rklab:data"), "mdadm --detail gives HOMEHOST:NAME");
        Assert.That(raid.Argv, Is.EqualTo(new[]
        {
            "mdadm", "--create", "/dev/md0", "--run", "--force", "--level=raid1", "--raid-devices=2", "--metadata=1.2",
            $"--uuid={md.Uuid}", "--name=data", "--homehost=rklab", "--assume-clean", "/dev/vda1", "/dev/vdb1",
        }));
        Assert.That(raid.DependsOn, Is.EqualTo(new[] { "partition-vda", "partition-vdb" }));
        Assert.That(Step(plan, "mkfs-md0").Argv, Does.Contain(layout.Filesystems.Single(f => f.Device == "/dev/md0").Uuid));
        Assert.That(Step(plan, "mkfs-md0").DependsOn, Is.EqualTo(new[] { "raid-md0" }));
        Assert.That(Step(plan, "restore-mnt-data").Argv, Is.EqualTo(new[]
        {
            "rescuekit", "extract", RestorePlanOptions.NoBackup, "--set", "mnt-data", "--to", "/mnt/target/mnt/data", "--progress",
        }));
    }

    [Test]
    public void PartitionTable_KeepsTypesUuidsAndNames()
    {
        var layout = Layout("raid1");
        var disk = layout.Disks.Single(d => d.Path == "/dev/vda");
        var part = disk.Partitions.Single();

        var script = Step(Plan(layout, Blank("/dev/vda 128", "/dev/vdb 128")), "partition-vda").Input!;

        Assert.That(script, Does.StartWith($"label: gpt\nlabel-id: {disk.TableId}\ndevice: /dev/vda\nunit: sectors\n"));
        Assert.That(script, Does.Contain(
            $"/dev/vda1 : start={part.Start}, size={part.SizeSectors}, type={part.Type}, uuid={part.Uuid}, name=\"raid-vda\"\n"));
    }

    [Test]
    public void SdaOntoNvme_PartitionNamesWithP()
    {
        var layout = Layout("gpt-esp");
        var source = layout.Disks.Single().Path;

        var plan = Plan(layout, Blank("/dev/nvme0n1 512"), $"{source}=/dev/nvme0n1");

        Assert.That(Step(plan, "partition-nvme0n1").Input, Does.Contain("/dev/nvme0n1p1 : start="));
        Assert.That(plan.Steps.Where(s => s.Kind == RestoreStepKinds.Filesystem).SelectMany(s => s.Writes),
            Is.All.StartWith("/dev/nvme0n1p"));
        Assert.That(plan.Notes, Has.Some.StartsWith("/dev/nvme0n1 (for /dev/vda): 256.0 MiB -> 512.0 MiB, partitions 3 and 4 scaled"));
    }

    [Test]
    public void Lvm_ThinPoolBeforeItsThinVolume_PvUuidsKept()
    {
        var layout = Layout("lvm");

        var plan = Plan(layout, Blank("/dev/vda 600", "/dev/vdb 600"));

        var ids = plan.Steps.Select(s => s.Id).ToList();
        Assert.That(ids.IndexOf("lv-vg0-pool"), Is.LessThan(ids.IndexOf("lv-vg0-thin")));
        Assert.That(Step(plan, "lv-vg0-thin").DependsOn, Does.Contain("lv-vg0-pool"));
        Assert.That(Step(plan, "lv-vg0-data").Argv, Does.Contain("--stripes").And.Contain("2"));
        // lvcreate refuses --wipesignatures for a thin pool (found by the lab's run of this plan).
        Assert.That(Step(plan, "lv-vg0-pool").Argv, Does.Contain("thin-pool").And.Not.Contain("--wipesignatures"));
        foreach (var pv in layout.Lvm.PhysicalVolumes)
            Assert.That(plan.Steps.Any(s => s.Kind == RestoreStepKinds.PhysicalVolume && s.Argv.Contains(pv.Uuid)), pv.Device);
        // Thin metadata is restored with --force: the VG's and LVs' UUIDs come back too.
        var vg = layout.Lvm.VolumeGroups.Single();
        Assert.That(Step(plan, "lvm-uuids-vg0").Argv.Skip(3).Take(4), Is.EqualTo(new[] { "rk-lvm-uuids", "vg0", vg.Uuid, "thin" }));
        Assert.That(Step(plan, "lvm-uuids-vg0").Argv[2], Does.Contain("vgcfgrestore $force"));
        Assert.That(plan.Notes, Has.None.Contains("new UUIDs"));
    }

    [Test]
    public void EveryStep_DependsOnlyOnEarlierSteps()
    {
        foreach (var configuration in new[] { "raid1", "lvm", "gpt-esp", "luks2", "mbr-logical", "uefi" })
        {
            var layout = Layout(configuration);
            var targets = Blank(layout.Disks.Select(d => $"{d.Path} {d.Size / MiB}").ToArray());

            var plan = Plan(layout, targets);

            var seen = new HashSet<string>();
            foreach (var step in plan.Steps)
            {
                Assert.That(step.DependsOn, Is.SubsetOf(seen), $"{configuration}: {step.Id}");
                seen.Add(step.Id);
            }
            Assert.That(plan.Steps.SelectMany(s => s.Writes).Distinct(), Is.SubsetOf(
                targets.Select(t => t.Path).Concat(plan.Steps.SelectMany(s => s.Argv).Where(a => a.StartsWith("/dev/")))), configuration);
        }
    }

    [Test]
    public void Raid1WithAMemberSkipped_IsCreatedDegraded()
    {
        var layout = Layout("raid1");

        var plan = Plan(layout, Blank("/dev/vda 128"), "/dev/vdb=none");

        var raid = Step(plan, "raid-md0");
        Assert.That(raid.Argv.TakeLast(2), Is.EqualTo(new[] { "/dev/vda1", "missing" }));
        Assert.That(raid.Argv, Does.Not.Contain("--assume-clean"));
        Assert.That(plan.Notes, Has.Some.Contains("created degraded"));
        Assert.That(plan.Steps.SelectMany(s => s.Writes), Does.Not.Contain("/dev/vdb"));
    }

    [Test]
    public void IncompleteMapping_IsNoPlan()
    {
        var layout = Layout("raid1");
        var mapping = DiskMapper.Map(layout.Disks, Blank("/dev/sda 128", "/dev/sdb 128"), RestorePlanner.RequiredSize);

        var e = Assert.Throws<DiskMappingIncompleteException>(() => RestorePlanner.Plan(layout, mapping, new RestorePlanOptions { ToolVersion = "t" }))!;

        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.Contain("/dev/vda fits /dev/sda and /dev/sdb equally well"));
    }

    [Test]
    public void TargetTooSmallForThePartitions_IsUnmapped()
    {
        var layout = Layout("lvm");
        var mapping = DiskMapper.Map(layout.Disks, Blank("/dev/vda 100", "/dev/vdb 600"), RestorePlanner.RequiredSize);

        Assert.That(mapping.IsComplete, Is.False);
        Assert.That(mapping.Unmapped.Single().Candidates, Is.Empty);
    }

    [Test]
    public void Luks_KeepsUuidAndCipher_AndOpensUnderItsName()
    {
        var layout = Layout("luks2");
        var luks = layout.Luks.Single();

        var plan = Plan(layout, Blank(layout.Disks.Select(d => $"{d.Path} {d.Size / MiB}").ToArray()));

        var format = plan.Steps.Single(s => s.Kind == RestoreStepKinds.Luks && s.Argv[1] == "luksFormat");
        Assert.That(format.Argv, Does.Contain(luks.Uuid).And.Contain(luks.Cipher).And.Contain("luks2"));
        var mkfs = plan.Steps.Single(s => s.Kind == RestoreStepKinds.Filesystem && s.Argv[^1].StartsWith("/dev/mapper/"));
        Assert.That(mkfs.DependsOn, Is.EqualTo(new[] { plan.Steps.Single(s => s.Argv is [_, "open", ..]).Id }));
    }

    [Test]
    public void PlanJson_RoundTrips_AndTheScriptQuotesAndMarksEachStep()
    {
        var plan = Plan(Layout("raid1"), Blank("/dev/vda 128", "/dev/vdb 128"));

        var back = RestorePlanJson.Deserialize(RestorePlanJson.Serialize(plan));
        var script = RestorePlanScript.Render(plan, "/run/rescuekit/restore");

        Assert.That(RestorePlanJson.Serialize(back), Is.EqualTo(RestorePlanJson.Serialize(plan)));
        Assert.That(script, Does.Contain("if [ ! -e \"$markers/raid-md0.done\" ]; then\n    rk_run mdadm --create /dev/md0"));
        Assert.That(script, Does.Contain("rk_run sfdisk --wipe always --wipe-partitions always /dev/vda <<'RK_INPUT'\nlabel: gpt\n"));
        Assert.That(RestorePlanScript.Quote("it's"), Is.EqualTo("'it'\\''s'"));
        var syntax = RescueKit.Tests.Shared.ExternalTool.Run("sh", "dash", ["-n"], stdinText: script);
        Assert.That(syntax.ExitCode, Is.EqualTo(0), syntax.Stderr);
    }

    [Test]
    public void PlanJson_OfAnotherVersion_IsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => RestorePlanJson.Deserialize("""{"formatVersion": 2}"""))!;
        Assert.That(e.Message, Does.Contain("formatVersion 2"));
    }

    [Test]
    public void Uefi_RecreatesTheBootEntriesOfTheLayoutsEsp_InTheirOldOrder()
    {
        var layout = Layout("uefi");

        var plan = Plan(layout, Blank("/dev/vda 256"));

        var entries = plan.Steps.Where(s => s.Id.StartsWith("efi-boot-")).ToList();
        // BootOrder 0001, 0000, 0010: created last-first, so that 0001's entry ends first; 0011 was outside BootOrder and
        // stays so; firmware entries are left to the firmware.
        Assert.That(entries.Select(s => s.Id), Is.EqualTo(new[] { "efi-boot-0011", "efi-boot-0010", "efi-boot-0001" }));
        Assert.That(entries[0].Argv, Does.Contain("--create-only").And.Contain("\\EFI\\old\\grubx64.efi"));
        Assert.That(entries[2].Argv, Is.EqualTo(new[]
        {
            "efibootmgr", "--quiet", "--create", "--disk", "/dev/vda", "--part", "1", "--label", "debian", "--loader", "\\EFI\\debian\\shimx64.efi",
        }));
        var ids = plan.Steps.Select(s => s.Id).ToList();
        Assert.That(ids.IndexOf("efivarfs"), Is.LessThan(ids.IndexOf("efi-boot-0010")));
        Assert.That(ids.IndexOf("efi-boot-0001"), Is.LessThan(ids.IndexOf("unbind-dev")));
        Assert.That(ids.IndexOf("unbind-dev"), Is.LessThan(ids.IndexOf("unmount-mnt-root")), "the binds go before what they sit in");
        Assert.That(ids.Where(i => i.StartsWith("restore-")).Max(ids.IndexOf), Is.LessThan(ids.IndexOf("bind-dev")));
    }

    /// <summary>The source booted through \EFI\debian\shimx64.efi: Debian's grub-install puts shim and signed GRUB
    /// back in the chroot before the boot entries point at them.</summary>
    [Test]
    public void Uefi_ThroughShim_ReinstallsShimAndSignedGrub_BeforeTheBootEntries()
    {
        var plan = Plan(Layout("uefi"), Blank("/dev/vda 256"));

        var step = Step(plan, "grub-efi-secure-boot");
        Assert.That(step.Argv, Is.EqualTo(new[]
        {
            "chroot", "/mnt/target", "grub-install", "--target=x86_64-efi", "--efi-directory=/boot/efi", "--bootloader-id=debian",
            "--uefi-secure-boot", "--no-nvram",
        }));
        Assert.That(step.Writes, Is.EqualTo(new[] { "/dev/vda1" }));
        Assert.That(step.DependsOn, Is.SupersetOf(new[] { "bind-dev", "bind-proc", "bind-sys" }));
        Assert.That(Step(plan, "efi-boot-0001").DependsOn, Does.Contain("grub-efi-secure-boot"));
        var ids = plan.Steps.Select(s => s.Id).ToList();
        Assert.That(ids.IndexOf("grub-efi-secure-boot"), Is.LessThan(ids.IndexOf("efi-boot-0011")));
    }

    [Test]
    public void Uefi_WithoutShim_InstallsNoGrub_TheRestoredEspFilesAreKept()
    {
        var captured = Layout("uefi");
        var boot = captured.BootLoader!;
        var layout = captured with
        {
            BootLoader = boot with
            {
                EfiBootEntries = [.. boot.EfiBootEntries.Select(e => e.LoaderPath is null ? e : e with { LoaderPath = e.LoaderPath.Replace("shimx64.efi", "grubx64.efi") })],
            },
        };

        var plan = Plan(layout, Blank("/dev/vda 256"));

        Assert.That(plan.Steps.Select(s => s.Id), Does.Not.Contain("grub-efi-secure-boot"));
        Assert.That(plan.Steps.Select(s => s.Id), Does.Contain("efi-boot-0001"));
        Assert.That(Step(plan, "efi-boot-0001").DependsOn, Is.EqualTo(new[] { "efivarfs" }));
    }

    [Test]
    public void BiosGrub_OnEveryDiskThatHadIt()
    {
        var layout = Layout("raid1") with { BootLoader = new BootLoaderInfo { Kind = BootLoaderInfo.BiosGrub, InstallDevices = ["/dev/vda", "/dev/vdb"] } };

        var plan = Plan(layout, Blank("/dev/sda 128", "/dev/sdb 128"), "/dev/vda=/dev/sda", "/dev/vdb=/dev/sdb");

        Assert.That(Step(plan, "grub-sda").Argv, Is.EqualTo(new[] { "chroot", "/mnt/target", "grub-install", "--target=i386-pc", "/dev/sda" }));
        Assert.That(Step(plan, "grub-sdb").Writes, Is.EqualTo(new[] { "/dev/sdb" }));
        Assert.That(Step(plan, "grub-sda").DependsOn, Is.SupersetOf(new[] { "bind-dev", "bind-proc", "bind-sys" }));
        Assert.That(plan.Steps.Select(s => s.Id), Does.Not.Contain("initramfs"), "the same kind of controllers: the old initramfs fits");
    }

    [Test]
    public void OtherDiskControllers_RebuildTheInitramfs()
    {
        var captured = Layout("nvme");
        var layout = captured with
        {
            BootLoader = new BootLoaderInfo { Kind = BootLoaderInfo.BiosGrub, InstallDevices = ["/dev/nvme0n1"] },
            Filesystems = [captured.Filesystems[0] with { MountPoint = "/" }, .. captured.Filesystems.Skip(1)],
        };
        var targets = TargetDisk.From(Lsblk.Parse("""{"blockdevices":[{"name":"vda","path":"/dev/vda","type":"disk","size":134217728,"tran":"virtio"}]}"""),
            new Dictionary<string, string>());

        var plan = Plan(layout, targets, "/dev/nvme0n1=/dev/vda");

        Assert.That(Step(plan, "initramfs").Argv, Is.EqualTo(new[] { "chroot", "/mnt/target", "update-initramfs", "-u", "-k", "all" }));
        Assert.That(Step(plan, "grub-vda").DependsOn, Does.Contain("initramfs"));
        Assert.That(Plan(captured, targets, "/dev/nvme0n1=/dev/vda").Steps.Select(s => s.Id), Does.Not.Contain("initramfs"),
            "a restore without / has no initramfs to rebuild");
    }

    [Test]
    public void NoBootLoaderInTheLayout_IsSaid()
    {
        var plan = Plan(Layout("raid1"), Blank("/dev/vda 128", "/dev/vdb 128"));

        Assert.That(plan.Notes, Has.Some.Contains("names no boot loader"));
        Assert.That(plan.Steps.Where(s => s.Kind == RestoreStepKinds.BootLoader), Is.Empty);
    }
}
