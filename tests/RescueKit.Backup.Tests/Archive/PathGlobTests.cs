using System.Text;
using RescueKit.Backup.Archive;

namespace RescueKit.Backup.Tests.Archive;

public sealed class PathGlobTests
{
    [TestCase("/tmp/*", "/tmp/a", true)]
    [TestCase("/tmp/*", "/tmp/a/b/c", true)]
    [TestCase("/tmp/*", "/tmp", false)]
    [TestCase("/tmp/*", "/tmpx", false)]
    [TestCase("*.swp", "/home/u/.file.swp", true)]
    [TestCase("*.swp", "/home/u/file.swpx", false)]
    [TestCase("/var/cache/", "/var/cache", true)]
    [TestCase("/var/cache", "/var/cache2", false)]
    [TestCase("/var/log/*.[0-9]", "/var/log/syslog.1", true)]
    [TestCase("/var/log/*.[0-9]", "/var/log/syslog.a", false)]
    [TestCase("/var/log/*.[!0-9]", "/var/log/syslog.a", true)]
    [TestCase("/data/file?", "/data/file1", true)]
    [TestCase("/data/file?", "/data/file12", false)]
    [TestCase("/data/\\*", "/data/*", true)]
    [TestCase("/data/\\*", "/data/x", false)]
    [TestCase("/data/[x", "/data/[x", true)]
    [TestCase("/", "/", true)]
    [TestCase("/a*b*c", "/aXbYbZc", true)]
    [TestCase("/a*b*c", "/aXbYbZ", false)]
    public void MatchesTheWholePath(string pattern, string path, bool expected)
        => Assert.That(new PathGlob(pattern).Matches(Encoding.UTF8.GetBytes(path)), Is.EqualTo(expected));

    [Test]
    public void MatchesBytesThatAreNotUtf8()
    {
        byte[] path = [.. "/srv/caf"u8, 0xe9, .. ".tmp"u8];
        Assert.That(new PathGlob("/srv/*.tmp").Matches(path), Is.True);
        Assert.That(new PathGlob("/srv/caf?.tmp").Matches(path), Is.True);
        Assert.That(new PathGlob("/srv/cafe.tmp").Matches(path), Is.False);
    }
}
