using System.Text.Json;
using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Planning;
using RescueKit.Tests.Shared;

using static RescueKit.Restore.Tests.Planning.PlanFixtures;

namespace RescueKit.Restore.Tests.Planning;

/// <summary>
/// Plans onto target disks of another size than the layout's (the lab's layouts, docs/restore.md "Resizing"): the
/// partitions that must keep their size keep it, the others fill the disk in proportion, LVs follow their VG, and a
/// filesystem that would not hold its set is refused before anything is written.
/// </summary>
public class ResizeTests
{
    private static RestorePlanOptions Options(bool noResize = false, IReadOnlyDictionary<string, SetData>? data = null) =>
        new() { ToolVersion = "test", NoResize = noResize, SetData = data };

    private static DiskMapping Map(HostLayout layout, IReadOnlyList<TargetDisk> targets, RestorePlanOptions options, params string[] given) =>
        DiskMapper.Map(layout.Disks, targets, RestorePlanner.MinimumSize(layout, options),
            given.Select(g => g.Split('=')).ToDictionary(p => p[0], p => p[1]), unshrunk: RestorePlanner.RequiredSize);

    private static RestorePlan Plan(HostLayout layout, IReadOnlyList<TargetDisk> targets, RestorePlanOptions options, params string[] given)
    {
        var mapping = Map(layout, targets, options, given);
        Assert.That(mapping.IsComplete, () => new DiskMappingIncompleteException(mapping).Message);
        return RestorePlanner.Plan(layout, mapping, options);
    }

    /// <summary>The partition lines of an sfdisk script: number -> (start, size).</summary>
    internal static Dictionary<int, (long Start, long Size)> Partitions(string script) => script.Split('\n')
        .Where(l => l.Contains(" : start="))
        .ToDictionary(
            l => int.Parse(new string(l.Split(' ')[0].Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray())),
            l =>
            {
                var fields = l.Split(" : ")[1].Split(", ").Select(f => f.Split('=')).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
                return (long.Parse(fields["start"]), long.Parse(fields["size"]));
            });

    [Test]
    public void BiggerDisk_GrowsTheOtherPartitions_KeepsBiosBootAndEsp_AndFillsTheUsableArea()
    {
        var layout = Layout("gpt-esp");
        var old = layout.Disks.Single().Partitions.ToDictionary(p => p.Number);

        var plan = Plan(layout, Blank("/dev/vda 512"), Options());

        var script = Step(plan, "partition-vda").Input!;
        var parts = Partitions(script);
        const long lastLba = 512 * 2048 - 34; // the backup GPT: 32 sectors of entries and its header
        Assert.That(script, Does.Contain($"last-lba: {lastLba}\n"));
        Assert.That(parts[1], Is.EqualTo((old[1].Start, old[1].SizeSectors)), "BIOS boot keeps its place and size");
        Assert.That(parts[2], Is.EqualTo((old[2].Start, old[2].SizeSectors)), "the ESP keeps its place and size");
        Assert.That(parts[3].Size, Is.GreaterThan(2 * old[3].SizeSectors));
        Assert.That(parts[4].Size, Is.GreaterThan(2 * old[4].SizeSectors));
        Assert.That((double)parts[3].Size / old[3].SizeSectors, Is.EqualTo((double)parts[4].Size / old[4].SizeSectors).Within(0.04),
            "one factor (the last partition takes what rounding left)");
        Assert.That(parts.Values.Select(p => p.Start % 2048), Is.All.EqualTo(0), "starts on whole MiB");
        var ordered = parts.OrderBy(p => p.Value.Start).Select(p => p.Value).ToList();
        for (var i = 1; i < ordered.Count; i++) Assert.That(ordered[i].Start, Is.GreaterThanOrEqualTo(ordered[i - 1].Start + ordered[i - 1].Size));
        Assert.That(parts[4].Start + parts[4].Size - 1, Is.EqualTo(lastLba), "the last partition ends where the usable area does");

        Assert.That(plan.Notes, Has.Some.Match(@"^/dev/vda: 256\.0 MiB -> 512\.0 MiB, partitions 3 and 4 scaled x2\.\d\d; 1 and 2 kept$"));
        Assert.That(Step(plan, "partition-vda").Purpose, Does.Contain("resized 3: 128.0 MiB -> ").And.Contain("4: 61.0 MiB -> "));
        Assert.That(Step(plan, "mkfs-vda3").Purpose, Does.Contain("128.0 MiB -> "));
        Assert.That(Step(plan, "mkfs-vda3").Argv, Does.Contain("-N").And.Not.Contain("32768"), "the inode count follows the size");
        var resize = plan.Disks.Single().Resize!;
        Assert.That(resize.Scaled, Is.EqualTo(new[] { 3, 4 }));
        Assert.That(resize.Kept, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(RestorePlanJson.Serialize(plan), Does.Contain("\"resize\": {"));
    }

    [Test]
    public void ScriptForABiggerDisk_IsWhatTheRealSfdiskWrites()
    {
        var layout = Layout("gpt-esp");
        var plan = Plan(layout, Blank("/dev/vda 512"), Options());
        var script = Step(plan, "partition-vda").Input!;
        var json = WrittenBySfdisk(script, 512 * MiB);

        var written = json.GetProperty("partitions").EnumerateArray().Select(p => (p.GetProperty("start").GetInt64(), p.GetProperty("size").GetInt64())).ToList();
        var planned = Partitions(script).OrderBy(p => p.Key).Select(p => p.Value).ToList();
        Assert.That(written, Is.EqualTo(planned));
        Assert.That(json.GetProperty("lastlba").GetInt64(), Is.EqualTo(512 * 2048 - 34));
        Assert.That(json.GetProperty("id").GetString(), Is.EqualTo(layout.Disks.Single().TableId));
        Assert.That(json.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("uuid").GetString()),
            Is.EqualTo(layout.Disks.Single().Partitions.OrderBy(p => p.Number).Select(p => p.Uuid)));
    }

    /// <summary>The partition table the real sfdisk writes from <paramref name="script"/> onto an image of
    /// <paramref name="bytes"/>, as `sfdisk -J` reads it back.</summary>
    internal static JsonElement WrittenBySfdisk(string script, long bytes)
    {
        var dir = Directory.CreateTempSubdirectory("rk-sfdisk-").FullName;
        try
        {
            var image = Path.Combine(dir, "disk.img");
            using (var f = File.Create(image)) f.SetLength(bytes);
            ExternalTool.RunOk("sfdisk", "fdisk", ["--no-reread", "--no-tell-kernel", image], stdinText: script);
            return JsonDocument.Parse(ExternalTool.RunOk("sfdisk", "fdisk", ["-J", image])).RootElement.GetProperty("partitiontable").Clone();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void SmallerDisk_WhoseDataFits_ShrinksTheOtherPartitions()
    {
        var layout = Layout("gpt-esp");
        var old = layout.Disks.Single().Partitions.ToDictionary(p => p.Number);
        var data = new Dictionary<string, SetData> { ["mnt-root"] = new(20 * MiB, 500), ["mnt-root-boot-efi"] = new(MiB, 10) };

        var plan = Plan(layout, Blank("/dev/sda 220"), Options(data: data));

        Assert.That(plan.Disks.Single().Target, Is.EqualTo("/dev/sda"));
        var parts = Partitions(Step(plan, "partition-sda").Input!);
        Assert.That(parts[2], Is.EqualTo((old[2].Start, old[2].SizeSectors)));
        Assert.That(parts[3].Size, Is.LessThan(old[3].SizeSectors));
        Assert.That(parts[4].Start + parts[4].Size, Is.EqualTo(220 * 2048 - 33));
        Assert.That(plan.Notes, Has.Some.StartsWith("/dev/sda (for /dev/vda): 256.0 MiB -> 220.0 MiB, partitions 3 and 4 scaled x0."));
        Assert.That(plan.Notes, Has.None.Contains("cannot be checked"), "the backup's data was checked");
    }

    [Test]
    public void SmallerDisk_WhoseDataDoesNotFit_IsRefused_NamingTheFilesystem()
    {
        var layout = Layout("gpt-esp");
        var data = new Dictionary<string, SetData> { ["mnt-root"] = new(100 * MiB, 2000) };

        var unmapped = Map(layout, Blank("/dev/sda 200"), Options(data: data));
        Assert.That(unmapped.IsComplete, Is.False, "not a candidate: its data needs more");
        Assert.That(unmapped.Unmapped.Single().Candidates, Is.Empty);

        var e = Assert.Throws<DataDoesNotFitException>(() =>
            RestorePlanner.Plan(layout, Map(layout, Blank("/dev/sda 200"), Options(data: data), "/dev/vda=/dev/sda"), Options(data: data)))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.Match(@"^the ext4 filesystem /mnt/root \(/dev/vda3 of the layout\) would be \d+\.\d MiB on the disks chosen, but its set mnt-root holds 100\.0 MiB in 2000 entries, which need about \d+\.\d MiB: restore onto a bigger disk, or choose another target disk$"));
        Assert.That(e.SourceDisks, Is.EqualTo(new[] { "/dev/vda" }));
    }

    [Test]
    public void SmallerDisk_WithoutABackup_ThePlanSaysTheDataIsNotChecked()
    {
        var plan = Plan(Layout("gpt-esp"), Blank("/dev/vda 200"), Options());

        Assert.That(plan.Notes, Has.Some.Contains("/mnt/root would be smaller than it was: without the backup, whether its data fits cannot be checked"));
    }

    [Test]
    public void NoResize_BiggerDisk_KeepsEveryPartitionAsItWas()
    {
        var layout = Layout("gpt-esp");
        var asBefore = RestorePlanner.Plan(layout, DiskMapper.Map(layout.Disks, Blank("/dev/vda 512"), RestorePlanner.RequiredSize), Options(noResize: true));

        var plan = Plan(layout, Blank("/dev/vda 512"), Options(noResize: true));

        var script = Step(plan, "partition-vda").Input!;
        Assert.That(script, Does.Not.Contain("last-lba"));
        Assert.That(Partitions(script).Values, Is.EqualTo(layout.Disks.Single().Partitions.OrderBy(p => p.Number).Select(p => (p.Start, p.SizeSectors))));
        Assert.That(plan.Notes, Has.Some.EqualTo("/dev/vda is bigger than /dev/vda was: the partitions keep their sizes and the rest of the disk stays free"));
        Assert.That(plan.Disks.Single().Resize, Is.Null);
        Assert.That(RestorePlanJson.Serialize(plan), Is.EqualTo(RestorePlanJson.Serialize(asBefore)));
    }

    [Test]
    public void NoResize_SmallerDisk_IsNoCandidate()
    {
        var layout = Layout("gpt-esp");

        var mapping = Map(layout, Blank("/dev/vda 200"), Options(noResize: true));

        Assert.That(mapping.IsComplete, Is.False);
        Assert.That(mapping.Unmapped.Single().RequiredSize, Is.EqualTo(RestorePlanner.RequiredSize(layout.Disks.Single())));
        Assert.That(Map(layout, Blank("/dev/vda 200"), Options()).IsComplete, "with resizing it is one");
    }

    [TestCase(1200, Description = "bigger")]
    [TestCase(580, Description = "smaller")]
    public void Lvm_LogicalVolumesScaleWithinTheirVg_AndFitItsCapacity(int mib)
    {
        var layout = Layout("lvm");
        var vg = layout.Lvm.VolumeGroups.Single();

        var plan = Plan(layout, Blank($"/dev/vda {mib}", $"/dev/vdb {mib}"), Options(), "/dev/vda=/dev/vda", "/dev/vdb=/dev/vdb");

        var sizes = vg.LogicalVolumes.ToDictionary(lv => lv.Name, lv => SizeOf(Step(plan, $"lv-{vg.Name}-{lv.Name}")));
        // Each PV keeps the overhead it had on its partition: the capacity is what is left in whole extents.
        var partition = Partitions(Step(plan, "partition-vda").Input!)[1].Size * 512;
        var overhead = layout.Disks[0].Partitions[0].SizeSectors * 512 - layout.Lvm.PhysicalVolumes[0].Size;
        var capacity = 2 * ((partition - overhead) / vg.ExtentSize * vg.ExtentSize);
        var margin = Math.Max((long)Math.Ceiling(capacity * 0.01 / vg.ExtentSize), 4) * vg.ExtentSize;
        var used = vg.LogicalVolumes.Where(lv => lv.SegmentType != "thin").Sum(lv => sizes[lv.Name]);
        Assert.That(used, Is.LessThanOrEqualTo(capacity - margin));
        foreach (var lv in vg.LogicalVolumes)
        {
            Assert.That(sizes[lv.Name] % vg.ExtentSize, Is.EqualTo(0), lv.Name);
            if (mib > 600) Assert.That(sizes[lv.Name], Is.GreaterThan(lv.Size), lv.Name);
            else Assert.That(sizes[lv.Name], Is.LessThan(lv.Size), lv.Name);
            Assert.That((double)sizes[lv.Name] / lv.Size, Is.EqualTo((double)sizes["root"] / vg.LogicalVolumes.Single(l => l.Name == "root").Size).Within(0.1), $"{lv.Name}: one factor");
        }
        Assert.That(Step(plan, "lv-vg0-root").Purpose, Does.Contain("64.0 MiB -> "));
        Assert.That(plan.Notes, Has.Some.StartsWith("volume group vg0: about 1.2 GiB -> "));
    }

    [Test]
    public void LvmOnRaid1_TheVgFollowsTheArrayAndItsSmallestMember()
    {
        var captured = Layout("raid1");
        var md = captured.MdArrays.Single();
        var pvSize = (md.Size!.Value - MiB) / (4 * MiB) * (4 * MiB);
        var layout = captured with
        {
            Filesystems = [captured.Filesystems.Single() with { Device = "/dev/mapper/vg1-data" }],
            Lvm = new LvmLayout
            {
                PhysicalVolumes = [new LvmPhysicalVolume { Device = md.Device, Uuid = "pv-on-md0", VolumeGroup = "vg1", Size = pvSize }],
                VolumeGroups =
                [
                    new LvmVolumeGroup
                    {
                        Name = "vg1", Uuid = "vg1-uuid", ExtentSize = 4 * MiB, Size = pvSize,
                        LogicalVolumes = [new LvmLogicalVolume { Name = "data", Uuid = "lv-uuid", Path = "/dev/vg1/data", Size = pvSize, SegmentType = "linear" }],
                    },
                ],
            },
        };

        var plan = Plan(layout, Blank("/dev/vda 512", "/dev/vdb 256"), Options());

        var smallest = Partitions(Step(plan, "partition-vdb").Input!)[1].Size * 512;
        var perMember = layout.Disks[0].Partitions[0].SizeSectors * 512 - md.Size!.Value;
        var capacity = (smallest - perMember - (md.Size!.Value - pvSize)) / (4 * MiB) * (4 * MiB);
        var size = SizeOf(Step(plan, "lv-vg1-data"));
        Assert.That(size, Is.GreaterThan(pvSize * 3 / 2), "grown with the smaller member");
        Assert.That(size, Is.LessThanOrEqualTo(capacity - 4 * 4 * MiB), "within the VG's estimated capacity, less the margin");
        Assert.That(Step(plan, "mkfs-mapper-vg1-data").Purpose, Does.Contain(" -> "));
    }

    [Test]
    public void MbrWithLogicalPartitions_KeepsItsSizes_AndSaysWhy()
    {
        var layout = Layout("mbr-logical");
        var disk = layout.Disks.Single();

        var plan = Plan(layout, Blank($"/dev/vda {disk.Size / MiB * 2}"), Options());

        Assert.That(Partitions(Step(plan, "partition-vda").Input!).Values,
            Is.EqualTo(disk.Partitions.OrderBy(p => p.Number).Select(p => (p.Start, p.SizeSectors))));
        Assert.That(plan.Notes, Has.Some.Contains("the partitions keep their sizes (its MBR table has logical partitions"));
        Assert.That(Map(layout, Blank($"/dev/vda {disk.Size / MiB / 2}"), Options()).IsComplete, Is.False, "so a smaller disk does not fit");
    }

    [Test]
    public void BootPartition_KeepsItsSize()
    {
        var captured = Layout("mbr-logical");
        var boot = captured.Filesystems.Single(f => f.Label == "boot");
        var disk = captured.Disks.Single();
        // The same disk without its extended partition, so that it can be resized.
        var layout = captured with
        {
            Disks = [disk with { Partitions = disk.Partitions.Where(p => p.Role is not ("extended" or "logical")).ToList() }],
            Filesystems = [.. captured.Filesystems.Where(f => f.Device is "/dev/vda1" or "/dev/vda2").Select(f => f == boot ? f with { MountPoint = "/boot" } : f)],
            Swaps = [],
        };

        var plan = Plan(layout, Blank($"/dev/vda {disk.Size / MiB * 2}"), Options());

        var parts = Partitions(Step(plan, "partition-vda").Input!);
        Assert.That(parts[1].Size, Is.EqualTo(disk.Partitions.Single(p => p.Number == 1).SizeSectors), "/boot");
        Assert.That(parts[2].Start + parts[2].Size, Is.EqualTo(disk.Size / MiB * 2 * 2048), "MBR has no backup table: the last partition ends with the disk");
    }

    internal static long SizeOf(RestoreStep lv)
    {
        var i = lv.Argv.ToList().FindIndex(a => a is "--size" or "--virtualsize");
        return long.Parse(lv.Argv[i + 1].TrimEnd('k')) * 1024;
    }
}
