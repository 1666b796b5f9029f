using System.Text.Json;
using RescueKit.Core;
using RescueKit.Core.Restore;
using RescueKit.Restore.Planning;
using RescueKit.Restore.Review;
using RescueKit.Tests.Shared;
using static RescueKit.Restore.Tests.Planning.PlanFixtures;
using static RescueKit.Restore.Tests.Planning.ResizeTests;

namespace RescueKit.Restore.Tests.Review;

/// <summary>
/// Sizes, RAID levels and members edited in the mountlist, and the plans made of them: a size set is kept, the rest is
/// resized around it in proportion, and what does not fit is a flaw that says by how much.
/// </summary>
public sealed class MountlistSizeTests
{
    private static readonly RestorePlanOptions Options = new() { ToolVersion = "test" };

    /// <summary>The lab's BIOS-boot + ESP + root + swap disk (256 MiB) onto one of <paramref name="mib"/>.</summary>
    private static PlanDraft GptEsp(int mib = 512) => new(Layout("gpt-esp"), Blank($"/dev/vda {mib}"), Options);

    private static Dictionary<int, (long Start, long Size)> Script(RestorePlan plan) => Partitions(Step(plan, "partition-vda").Input!);

    [TestCase("20G", 20L << 30)]
    [TestCase("512M", 512L << 20)]
    [TestCase("1.5g", 3L << 29)]
    public void ASize_IsParsedInBinaryUnits(string text, long bytes) =>
        Assert.That(SizeRequest.Parse(text).BytesFor(1), Is.EqualTo(bytes));

    [Test]
    public void APercentAndTheRest_AreParsed_AndNonsenseIsRefusedNamingTheForms()
    {
        Assert.That(SizeRequest.Parse("+10%").BytesFor(1000), Is.EqualTo(1100));
        Assert.That(SizeRequest.Parse("-25%").BytesFor(1000), Is.EqualTo(750));
        Assert.That(SizeRequest.Parse("+2M").BytesFor(1 << 20), Is.EqualTo(3 << 20));
        Assert.That(SizeRequest.Parse("-1K").BytesFor(4096), Is.EqualTo(3072));
        Assert.That(SizeRequest.Parse("REST").Rest, Is.True);
        Assert.That(SizeRequest.Parse("rest").BytesFor(1000), Is.Null);
        Assert.That(Assert.Throws<BadInputException>(() => SizeRequest.Parse("10%"))!.Message, Does.Contain("with its sign"));
        Assert.That(Assert.Throws<BadInputException>(() => SizeRequest.Parse("-100%"))!.Message, Does.Contain("above -100"));
        Assert.That(Assert.Throws<BadInputException>(() => SizeRequest.Parse("big"))!.Message, Does.Contain("is not a size"));
    }

    [Test]
    public void APartitionSizeSet_IsKept_TheOthersScaledFillTheDisk_AndFixedOnesStay()
    {
        var draft = GptEsp();
        var old = draft.Source.Disks.Single().Partitions.ToDictionary(p => p.Number);

        draft.Edit(new MountlistChange("/dev/vda3") { Size = SizeRequest.Parse("300M") });

        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty);
        var plan = draft.Plan();
        var parts = Script(plan);
        Assert.That(parts[3].Size, Is.EqualTo(300 * 2048), "the size set, in sectors");
        Assert.That(parts[1], Is.EqualTo((old[1].Start, old[1].SizeSectors)), "BIOS boot is fixed");
        Assert.That(parts[2], Is.EqualTo((old[2].Start, old[2].SizeSectors)), "the ESP is fixed");
        Assert.That(parts[4].Start + parts[4].Size - 1, Is.EqualTo(512 * 2048 - 34), "the swap, the one scaled, takes the rest");
        Assert.That(parts[4].Size, Is.GreaterThan(old[4].SizeSectors));
        Assert.That(Step(plan, "partition-vda").Purpose, Does.Contain("3: 128.0 MiB -> 300.0 MiB"));
        Assert.That(Step(plan, "mkfs-vda3").Purpose, Does.Contain("128.0 MiB -> 300.0 MiB"));
        Assert.That(draft.SizeOf("/dev/vda3"), Is.EqualTo(((long?)128 * MiB, (long?)300 * MiB)));
        Assert.That(draft.SizeSet("/dev/vda3")!.ToString(), Is.EqualTo("300.0 MiB"));
    }

    [Test]
    public void TheSetSizesScript_IsWhatTheRealSfdiskWrites()
    {
        var draft = GptEsp();
        draft.Edit(new MountlistChange("/dev/vda3") { Size = SizeRequest.Parse("+50%") });
        draft.Edit(new MountlistChange("/dev/vda4") { Size = SizeRequest.TheRest });
        var script = Step(draft.Plan(), "partition-vda").Input!;
        var json = WrittenBySfdisk(script, 512 * MiB);

        var written = json.GetProperty("partitions").EnumerateArray().ToDictionary(
            p => int.Parse(p.GetProperty("node").GetString()![^1..]), p => (p.GetProperty("start").GetInt64(), p.GetProperty("size").GetInt64()));
        Assert.That(written, Is.EqualTo(Partitions(script)));
        Assert.That(written[3].Item2, Is.EqualTo(192 * 2048), "128 MiB + 50 %");
        Assert.That(written[4].Item1 + written[4].Item2 - 1, Is.EqualTo(json.GetProperty("lastlba").GetInt64()), "the rest: to the end of the usable area");
    }

    [Test]
    public void APartitionTooBigForItsDisk_IsAFlawSayingByHowMuch_UntilItIsMadeSmaller()
    {
        var draft = GptEsp();

        draft.Edit(new MountlistChange("/dev/vda3") { Size = SizeRequest.Parse("1G") });

        var flaw = draft.Flaws.First();
        Assert.That(flaw.IsError, Is.True);
        Assert.That(flaw.Device, Is.EqualTo("/dev/vda3"));
        Assert.That(flaw.Problem, Does.Match(@"^too big for /dev/vda \(512\.0 MiB\) by \d+\.\d MiB"));
        // BIOS boot 1 MiB, the ESP 64 MiB and the first MiB stay, the swap takes 1 MiB at the least: 1 GiB does not fit by their sum less the disk.
        var by = double.Parse(flaw.Problem.Split(" by ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(by, Is.InRange(512 + 1 + 64 + 1, 512 + 1 + 64 + 4));
        Assert.That(Assert.Throws<BadInputException>(() => draft.Plan())!.Message, Does.Contain("/dev/vda3: too big"));

        draft.Edit(new MountlistChange("/dev/vda3") { Size = SizeRequest.Parse("400M") });
        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty);
        Assert.That(Script(draft.Plan())[3].Size, Is.EqualTo(400 * 2048));
    }

    [Test]
    public void WithoutResizing_APartitionGrownIntoTheNext_Overlaps()
    {
        var draft = new PlanDraft(Layout("gpt-esp"), Blank("/dev/vda 512"), Options with { NoResize = true });

        draft.Edit(new MountlistChange("/dev/vda3") { Size = SizeRequest.Parse("+10M") });

        Assert.That(draft.Flaws.Where(f => f.IsError).Select(f => f.ToString()),
            Has.Some.EqualTo("/dev/vda3: overlaps /dev/vda4 by 10.0 MiB: without resizing each partition keeps its start, so make it smaller"));
        draft.Edit(new MountlistChange("/dev/vda3") { ResetSize = true });
        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty);
    }

    [Test]
    public void AnLvSizeSet_IsWhatLvcreateGets_AndTheOthersShrinkToMakeRoom()
    {
        var draft = new PlanDraft(Layout("lvm"), Blank("/dev/vda 600", "/dev/vdb 600"), Options);
        var vg = draft.Source.Lvm.VolumeGroups.Single();
        var before = draft.Plan();

        draft.Edit(new MountlistChange("/dev/mapper/vg0-root") { Size = SizeRequest.Parse("748M") });

        var plan = draft.Plan();
        Assert.That(Step(plan, "lv-vg0-root").Argv, Does.Contain("--size").And.Contain($"{748 * 1024}k"));
        Assert.That(SizeOf(Step(plan, "lv-vg0-data")), Is.LessThan(SizeOf(Step(before, "lv-vg0-data"))), "scaled down around the size set");
        Assert.That(SizeOf(Step(plan, "lv-vg0-data")) % vg.ExtentSize, Is.EqualTo(0));
        var used = vg.LogicalVolumes.Where(lv => lv.SegmentType != "thin").Sum(lv => SizeOf(Step(plan, $"lv-vg0-{lv.Name}")));
        Assert.That(used, Is.LessThanOrEqualTo(vg.Size), "within the VG");
        Assert.That(Step(plan, "lv-vg0-root").Purpose, Does.Contain("64.0 MiB -> 748.0 MiB"));
    }

    [Test]
    public void AnLvTooBigForItsVg_IsAFlawSayingByHowMuch()
    {
        var draft = new PlanDraft(Layout("lvm"), Blank("/dev/vda 600", "/dev/vdb 600"), Options);

        draft.Edit(new MountlistChange("/dev/vg0/root") { Size = SizeRequest.Parse("2G") });

        var flaw = draft.Flaws.First(f => f.IsError);
        Assert.That(flaw.Device, Is.EqualTo("/dev/vg0/root"));
        Assert.That(flaw.Problem, Does.StartWith("the logical volumes of vg0 need ").And.Contain(" too big; make root smaller"));
        Assert.Throws<BadInputException>(() => draft.Plan());
    }

    [Test]
    public void AnLvTakingTheRest_FillsTheVg_AndTheOthersKeepTheirSizes()
    {
        var draft = new PlanDraft(Layout("lvm"), Blank("/dev/vda 1200", "/dev/vdb 1200"), Options,
            new Dictionary<string, string> { ["/dev/vda"] = "/dev/vda", ["/dev/vdb"] = "/dev/vdb" });
        var vg = draft.Source.Lvm.VolumeGroups.Single();

        draft.Edit(new MountlistChange("/dev/mapper/vg0-root") { Size = SizeRequest.TheRest });

        var plan = draft.Plan();
        foreach (var lv in vg.LogicalVolumes.Where(lv => lv.Name != "root"))
            Assert.That(SizeOf(Step(plan, $"lv-vg0-{lv.Name}")), Is.EqualTo(lv.Size), lv.Name);
        var others = vg.LogicalVolumes.Where(lv => lv.SegmentType != "thin" && lv.Name != "root").Sum(lv => lv.Size);
        Assert.That(SizeOf(Step(plan, "lv-vg0-root")), Is.GreaterThan(2 * vg.Size - others - 64 * MiB), "about everything the doubled VG has left");
    }

    [Test]
    public void AnArrayMadeRaid0_IsCreatedSo_AndItsFilesystemGetsBothMembers()
    {
        var draft = new PlanDraft(Layout("raid1"), Blank("/dev/vda 128", "/dev/vdb 128"), Options);
        var md = draft.Source.MdArrays.Single();

        draft.Edit(new MountlistChange(md.Device) { Level = "raid0" });

        var plan = draft.Plan();
        var raid = Step(plan, "raid-md0").Argv;
        Assert.That(raid, Does.Contain("--level=raid0").And.Contain("--raid-devices=2").And.Not.Contain("--assume-clean"));
        var (before, after) = draft.SizeOf(md.Device);
        Assert.That(before, Is.EqualTo(md.Size));
        Assert.That(after, Is.GreaterThan(19 * md.Size!.Value / 10).And.LessThanOrEqualTo(2 * md.Size.Value), "two members' worth");
        Assert.That(Step(plan, "mkfs-md0").Purpose, Does.Contain(" -> "));
    }

    [Test]
    public void AnArraysMembers_MustBeFreePartitions_AndEnoughForItsLevel()
    {
        var draft = new PlanDraft(Layout("gpt-esp"), Blank("/dev/vda 512"), Options);
        Assert.That(Assert.Throws<BadInputException>(() => draft.Edit(new MountlistChange("/dev/md9") { Level = "raid1" }))!.Message,
            Does.Contain("/dev/md9 is no md array"));

        var raid = new PlanDraft(Layout("raid1"), Blank("/dev/vda 128", "/dev/vdb 128"), Options);
        Assert.That(Assert.Throws<BadInputException>(() => raid.Edit(new MountlistChange("/dev/md0") { Level = "raid5" }))!.Message,
            Does.Contain("a raid5 array needs at least 3 members, 2 given"));
        Assert.That(Assert.Throws<BadInputException>(() => raid.Edit(new MountlistChange("/dev/md0") { Level = "raid7" }))!.Message,
            Does.Contain("'raid7' is not a RAID level"));
        Assert.That(Assert.Throws<BadInputException>(() => raid.Edit(new MountlistChange("/dev/md0") { Members = ["/dev/vda1", "/dev/vdc1"] }))!.Message,
            Does.Contain("/dev/vdc1 is no partition of the layout"));
        Assert.That(raid.Layout.MdArrays.Single().Level, Is.EqualTo("raid1"), "nothing changed");
    }

    [Test]
    public void ARaid0WithAMemberOnADiskLeftOut_IsAFlaw_WhereRaid1RunsDegraded()
    {
        var draft = new PlanDraft(Layout("raid1"), Blank("/dev/vda 128", "/dev/vdb 128"), Options);
        draft.Map("/dev/vdb", RescueKit.Restore.Mapping.DiskMapper.Skip);
        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty, "raid1 runs on one member");

        draft.Edit(new MountlistChange("/dev/md0") { Level = "raid0" });

        Assert.That(draft.Flaws.Where(f => f.IsError).Select(f => f.ToString()), Has.Some.StartWith(
            "/dev/md0: 1 of its 2 members are on disks that are not restored, and a raid0 array of them runs without none"));
    }

    [Test]
    public void ADiskLeftOut_LeavesItsPartitionsOut_AndTheDegradedArrayHasASize()
    {
        var draft = new PlanDraft(Layout("raid1"), Blank("/dev/vda 256"), Options);
        Assert.That(draft.SizeOf("/dev/md0").After, Is.Null, "/dev/vdb has no target yet");
        draft.Map("/dev/vdb", RescueKit.Restore.Mapping.DiskMapper.Skip);

        var (member, grown) = draft.SizeOf("/dev/vda1");
        Assert.That(grown, Is.GreaterThan(member!.Value));
        Assert.That(draft.SizeOf("/dev/md0").After, Is.Not.Null, "the array is made, degraded, on /dev/vda1");
        Assert.That(draft.LeftOut("/dev/md0"), Is.False);
        Assert.That(draft.LeftOut("/dev/vdb1"), Is.True);
        Assert.That(draft.SizeOf("/dev/vdb1").After, Is.Null);
        Assert.That(draft.LeftOut("/dev/vda1"), Is.False);
    }

    [Test]
    public void AnMdArray_HasNoSizeOfItsOwn()
    {
        var draft = new PlanDraft(Layout("raid1"), Blank("/dev/vda 128", "/dev/vdb 128"), Options);
        Assert.That(Assert.Throws<BadInputException>(() => draft.Edit(new MountlistChange("/dev/md0") { Size = SizeRequest.Parse("64M") }))!.Message,
            Does.Contain("follows its members (/dev/vda1, /dev/vdb1): set theirs"));
        draft.Edit(new MountlistChange("/dev/vda1") { Size = SizeRequest.Parse("64M") });
        draft.Edit(new MountlistChange("/dev/vdb1") { Size = SizeRequest.Parse("64M") });
        var (_, after) = draft.SizeOf("/dev/md0");
        Assert.That(after, Is.LessThan(64 * MiB).And.GreaterThan(60 * MiB));
    }

    [Test]
    public void UndoingEveryEdit_ForgetsTheSizesToo()
    {
        var draft = GptEsp();
        draft.Edit(new MountlistChange("/dev/vda3") { Size = SizeRequest.Parse("1G") });
        draft.ResetMountlist();
        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty);
        Assert.That(draft.SizeSet("/dev/vda3"), Is.Null);
    }
}
