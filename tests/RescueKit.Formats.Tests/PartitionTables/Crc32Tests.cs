using NUnit.Framework;
using System.Text;
using RescueKit.Formats.PartitionTables;

namespace RescueKit.Formats.Tests.PartitionTables;

public class Crc32Tests
{
    [Test]
    public void CheckValueOf123456789() =>
        Assert.That(Crc32.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));

    [Test]
    public void EmptyInputIsZero() => Assert.That(Crc32.Compute([]), Is.EqualTo(0u));

    [Test]
    public void AppendEqualsOneShot()
    {
        var data = Encoding.ASCII.GetBytes("123456789");
        Assert.That(Crc32.Append(Crc32.Compute(data.AsSpan(0, 4)), data.AsSpan(4)), Is.EqualTo(0xCBF43926u));
    }
}
