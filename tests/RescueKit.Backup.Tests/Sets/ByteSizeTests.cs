using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Tests.Sets;

public class ByteSizeTests
{
    [TestCase("1073741824", 1073741824L)]
    [TestCase("64M", 64L << 20)]
    [TestCase("64m", 64L << 20)]
    [TestCase("512K", 512L << 10)]
    [TestCase("2GiB", 2L << 30)]
    [TestCase("1T", 1L << 40)]
    [TestCase("4.7G", 5046586572L)]
    [TestCase("100B", 100L)]
    public void ASizeAsUsersWriteIt_IsParsedInBinaryUnits(string text, long bytes) =>
        Assert.That(ByteSize.Parse(text, "--chunk-size"), Is.EqualTo(bytes));

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("-1M")]
    [TestCase("0")]
    [TestCase("1.2.3G")]
    [TestCase("5X")]
    [TestCase("99999999999T")]
    public void AnythingElse_IsABadInputNamingTheOption(string text)
    {
        var e = Assert.Throws<BadInputException>(() => ByteSize.Parse(text, "--chunk-size"));
        Assert.That(e!.Message, Does.StartWith($"--chunk-size '{text}'"));
    }
}
