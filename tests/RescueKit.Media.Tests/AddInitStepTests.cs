using RescueKit.Core.Layout;
using RescueKit.Media.Steps;

namespace RescueKit.Media.Tests;

public class AddInitStepTests
{
    [Test]
    public void TheLayoutOfAMediumBuiltWithoutOne_LoadsAsAnEmptyLayout_ThatSaysItIsEmpty()
    {
        var config = new RescueConfig
        {
            OutputDirectory = "/nowhere",
            HostName = "testhost",
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            RescueBinary = "/nowhere/rescuekit",
            Version = "1.2.3",
        };

        var layout = LayoutJson.Deserialize(AddInitStep.EmptyLayout(config));

        Assert.That((layout.HostName, layout.ToolVersion, layout.CapturedAt), Is.EqualTo(("testhost", "1.2.3", config.Timestamp)));
        Assert.That(layout.Disks, Is.Empty);
        Assert.That(layout.Filesystems, Is.Empty);
        Assert.That(layout.Notes, Has.One.StartsWith("empty: ").And.Contain("could not be captured"));
    }
}
