using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Tests.Layout;

public class LayoutDiffTests
{
    [Test]
    public void TheSameLayoutCapturedLater_HasNoDifferences()
    {
        var saved = LayoutJsonTests.Sample();
        var later = saved with { CapturedAt = saved.CapturedAt.AddDays(3), ToolVersion = "0.2.0", Notes = ["mdadm is not installed"] };

        Assert.That(LayoutDiff.Compare(saved, later), Is.Empty);
    }

    [Test]
    public void AnAddedPartition_IsOneLineNamingIt()
    {
        var saved = LayoutJsonTests.Sample();
        var disk = saved.Disks[0];
        var added = new PartitionInfo { Number = 3, Device = "/dev/sda3", Start = 20971487, SizeSectors = 1, Type = "0FC63DAF-8483-4772-8E79-3D69D8477DE4" };
        var now = saved with { Disks = [disk with { Partitions = [.. disk.Partitions, added] }] };

        var lines = LayoutDiff.Compare(saved, now);

        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0], Does.StartWith("added disks[/dev/sda].partitions[/dev/sda3]: {").And.Contain("\"start\":20971487"));
    }

    [Test]
    public void AChangedLabel_AndARemovedRaidMember_AreNamedByTheirRecords()
    {
        var saved = LayoutJsonTests.Sample();
        var now = saved with
        {
            Filesystems = [saved.Filesystems[0] with { Label = "newroot" }, saved.Filesystems[1]],
            MdArrays = [saved.MdArrays[0] with { Members = [saved.MdArrays[0].Members[0]] }],
        };

        var lines = LayoutDiff.Compare(saved, now);

        Assert.That(lines, Is.EquivalentTo(new[]
        {
            "added filesystems[/dev/vg0/root].label = newroot",
            "removed mdArrays[/dev/md0].members[/dev/sdb2]: {\"device\":\"/dev/sdb2\",\"slot\":1}",
        }));
    }

    [Test]
    public void AChangedScalar_ShowsBothValues()
    {
        var saved = LayoutJsonTests.Sample();
        var now = saved with { Lvm = saved.Lvm with { VolumeGroups = [saved.Lvm.VolumeGroups[0] with { ExtentSize = 8388608 }] } };

        Assert.That(LayoutDiff.Compare(saved, now), Is.EqualTo(new[] { "changed lvm.volumeGroups[vg0].extentSize: 4194304 -> 8388608" }));
    }

    [Test]
    public void PlainLists_AreComparedWhole()
    {
        var saved = LayoutJsonTests.Sample();
        var now = saved with { MdArrays = [saved.MdArrays[0] with { Spares = ["/dev/sdd2"] }] };

        Assert.That(LayoutDiff.Compare(saved, now), Is.EqualTo(new[] { "changed mdArrays[/dev/md0].spares: [\"/dev/sdc2\"] -> [\"/dev/sdd2\"]" }));
    }
}
