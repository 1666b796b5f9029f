using RescueKit.Backup.Sets;
using RescueKit.Core;

namespace RescueKit.Backup.Tests.Sets;

public class SetCompressionTests
{
    [Test]
    public void BadValues_AreNamedAsTheCallerAskedForThem()
    {
        Assert.That(Assert.Throws<BadInputException>(() => SetCompression.Choose("lz4", null))!.Message,
            Does.StartWith("compression 'lz4' is unknown"));
        Assert.That(Assert.Throws<BadInputException>(() => SetCompression.Choose("gzip", 12, "--compression", "--level"))!.Message,
            Does.StartWith("--level 12 is out of range for gzip").And.Contain("1 to 9"));
    }
}
