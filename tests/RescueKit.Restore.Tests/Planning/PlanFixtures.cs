using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Discovery.Layout;
using RescueKit.Discovery.Tests.Layout;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Tests.Planning;

/// <summary>What the planner tests share: a lab machine's captured layout, blank target disks, a step by its id.</summary>
internal static class PlanFixtures
{
    public const long MiB = 1 << 20;

    /// <summary>The layout capture makes of a VM lab fixture (tests/RescueKit.Discovery.Tests/Fixtures/layout).</summary>
    public static HostLayout Layout(string configuration)
    {
        var machine = new FixtureMachine(configuration);
        return new LayoutCapture(machine, Serilog.Core.Logger.None, machine).Capture(new LayoutCaptureOptions { ToolVersion = "test" });
    }

    /// <summary>Blank disks as lsblk lists them, each given as "/dev/NAME MiB".</summary>
    public static IReadOnlyList<TargetDisk> Blank(params string[] disks) => TargetDisk.From(Lsblk.Parse(
        $$"""{"blockdevices":[{{string.Join(',', disks.Select(d => d.Split(' ')).Select(f =>
            $$"""{"name":"{{f[0][5..]}}","path":"{{f[0]}}","type":"disk","size":{{long.Parse(f[1]) * MiB}}}"""))}}]}"""),
        new Dictionary<string, string>());

    public static RestoreStep Step(RestorePlan plan, string id) =>
        plan.Steps.SingleOrDefault(s => s.Id == id) ?? throw new AssertionException($"no step {id} in: {string.Join(", ", plan.Steps.Select(s => s.Id))}");
}
