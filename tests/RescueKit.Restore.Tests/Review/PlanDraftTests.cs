using RescueKit.Core;
using RescueKit.Core.Restore;
using RescueKit.Restore.Planning;
using RescueKit.Restore.Review;
using static RescueKit.Restore.Tests.Planning.PlanFixtures;

namespace RescueKit.Restore.Tests.Review;

/// <summary>The plan a person shapes in the interactive mode: mapping changes, mountlist edits and the flaws they raise.</summary>
public sealed class PlanDraftTests
{
    private static readonly RestorePlanOptions Options = new() { ToolVersion = "test" };

    [Test]
    public void AnUntouchedDraft_OfTwoDisksOntoTwoBlankOnes_HasNoErrors_AndPlansAsThePlannerDoes()
    {
        var layout = Layout("raid1");
        var draft = new PlanDraft(layout, Blank("/dev/vda 128", "/dev/vdb 128"), Options);

        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty);
        Assert.That(draft.Plan().Steps.Select(s => s.Id), Is.EqualTo(RestorePlanner.Plan(layout, draft.Mapping, Options).Steps.Select(s => s.Id)));
    }

    [Test]
    public void ThreeEqualDisks_LeaveTheChoiceOpen_UntilThePersonMapsEachSource()
    {
        var draft = new PlanDraft(Layout("raid1"), Blank("/dev/sda 128", "/dev/sdb 128", "/dev/sdc 128"), Options);
        var gaps = draft.Flaws.Where(f => f.IsError).ToList();
        Assert.That(gaps, Has.Count.EqualTo(2).And.All.Property("Problem").Contains("equally well"));
        Assert.Throws<BadInputException>(() => draft.Plan());

        draft.Map("/dev/vda", "/dev/sdc");
        draft.Map("/dev/vdb", "/dev/sda");

        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty);
        Assert.That(draft.Plan().Disks.Select(d => $"{d.Source}>{d.Target}"), Is.EquivalentTo(new[] { "/dev/vda>/dev/sdc", "/dev/vdb>/dev/sda" }));
    }

    [Test]
    public void AMappingTheDisksDoNotAllow_IsRefused_AndLeavesTheMappingAsItWas()
    {
        var draft = new PlanDraft(Layout("raid1"), Blank("/dev/vda 128", "/dev/vdb 128", "/dev/vdc 128"), Options);
        draft.Map("/dev/vda", "/dev/vdc");
        var before = draft.Mapping;

        var e = Assert.Throws<BadInputException>(() => draft.Map("/dev/vdb", "/dev/vdc"));

        Assert.That(e!.Message, Does.Contain("two source disks onto /dev/vdc"));
        Assert.That(draft.Mapping.Pairs, Is.EqualTo(before.Pairs));
        Assert.That(draft.Candidates("/dev/vdb").Single(c => c.Disk.Path == "/dev/vdc").Refused, Is.EqualTo("/dev/vda goes there"));
    }

    [Test]
    public void TwoFilesystemsOnOneMountPoint_IsAnError_ThatStopsThePlan()
    {
        var layout = Layout("lvm");
        var draft = new PlanDraft(layout, Blank("/dev/vda 600", "/dev/vdb 600"), Options);
        var mounted = layout.Filesystems.Where(f => f.MountPoint is not null).ToList();
        Assume.That(mounted, Has.Count.GreaterThanOrEqualTo(2), "the lvm fixture mounts two filesystems");

        draft.Edit(new MountlistChange(mounted[1].Device) { MountPoint = mounted[0].MountPoint });

        Assert.That(draft.Flaws.First(), Has.Property("IsError").True
            .And.Property("Problem").Contains($"{mounted[0].MountPoint} is the mount point of"));
        Assert.That(draft.Flaws.Any(f => f.Problem.Contains("has no filesystem to go to")), Is.True, "the moved filesystem's set lost its place");
        Assert.Throws<BadInputException>(() => draft.Plan());
        draft.ResetMountlist();
        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty);
    }

    [Test]
    public void ADroppedFilesystem_LeavesItsSetNowhereToGo_UntilTheSetIsLeftOut()
    {
        var layout = Layout("raid1");
        var draft = new PlanDraft(layout, Blank("/dev/vda 128", "/dev/vdb 128"), Options);
        var data = layout.Filesystems.Single(f => f.MountPoint == "/mnt/data");

        draft.Edit(new MountlistChange(data.Device) { Drop = true });
        Assert.That(draft.Flaws.Where(f => f.IsError).Select(f => f.Problem), Has.Some.Contains("set of /mnt/data has no filesystem to go to"));

        draft.Restore("/mnt/data", restored: false);

        Assert.That(draft.Flaws.Where(f => f.IsError), Is.Empty);
        Assert.That(draft.Flaws.Single(f => !f.IsError).Problem, Does.StartWith("left out"));
        var plan = draft.Plan();
        Assert.That(plan.Steps.Where(s => s.Kind is RestoreStepKinds.Filesystem or RestoreStepKinds.Extract), Is.Empty);
    }

    [Test]
    public void AnotherFilesystemType_IsMadeAsAsked_AndWarnsThatFstabStillSaysTheOldOne()
    {
        var layout = Layout("raid1");
        var draft = new PlanDraft(layout, Blank("/dev/vda 128", "/dev/vdb 128"), Options);
        var data = layout.Filesystems.Single(f => f.MountPoint == "/mnt/data");

        draft.Edit(new MountlistChange(data.Device) { Type = "xfs", Label = "data2" });

        Assert.That(draft.Flaws.Single().IsError, Is.False);
        Assert.That(draft.Flaws.Single().Problem, Does.Contain("made xfs instead of ext4"));
        var mkfs = draft.Plan().Steps.Single(s => s.Kind == RestoreStepKinds.Filesystem);
        Assert.That(mkfs.Argv, Does.Contain("mkfs.xfs").And.Contain("data2"));
    }

    [Test]
    public void AnEditOfADeviceWithNoFilesystem_IsRefused()
    {
        var draft = new PlanDraft(Layout("raid1"), Blank("/dev/vda 128", "/dev/vdb 128"), Options);
        var e = Assert.Throws<BadInputException>(() => draft.Edit(new MountlistChange("/dev/vda1") { MountPoint = "/srv" }));
        Assert.That(e!.Message, Does.Contain("/dev/vda1 holds no filesystem or swap"));
    }
}
