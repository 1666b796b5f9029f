using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;
using RescueKit.Discovery.Tests.Layout;

namespace RescueKit.Restore.Tests.Planning;

/// <summary>
/// layout.json files of the lab's machines (Fixtures/&lt;configuration&gt;-layout.json), for the tests that run the
/// rescuekit binary on a layout file (restore --dry-run). They are what layout capture makes of the lab fixtures, and
/// this test keeps them so: RK_WRITE_FIXTURES=1 writes them anew.
/// </summary>
public class LayoutFixtureFiles
{
    public static readonly string[] Configurations = ["raid1", "lvm", "gpt-esp", "uefi"];

    public static string PathOf(string configuration)
        => Path.Combine(Fixtures.Layout(configuration), "..", "..", "..", "..", "RescueKit.Restore.Tests", "Fixtures", $"{configuration}-layout.json");

    [TestCaseSource(nameof(Configurations))]
    public void CheckedInLayout_IsWhatCaptureGives(string configuration)
    {
        var machine = new FixtureMachine(configuration);
        var layout = new LayoutCapture(machine, Serilog.Core.Logger.None, machine).Capture(new LayoutCaptureOptions
        {
            ToolVersion = "fixture", Clock = new FixedClock(),
        });
        // The capture names the machine it runs on; the files name the lab's.
        var json = LayoutJson.Serialize(layout with { HostName = "rklab" });
        var path = Path.GetFullPath(PathOf(configuration));
        if (Environment.GetEnvironmentVariable("RK_WRITE_FIXTURES") == "1") File.WriteAllText(path, json);

        Assert.That(File.Exists(path), $"{path} is missing: run this test with RK_WRITE_FIXTURES=1");
        Assert.That(File.ReadAllText(path), Is.EqualTo(json), $"{path} is stale: run this test with RK_WRITE_FIXTURES=1");
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
