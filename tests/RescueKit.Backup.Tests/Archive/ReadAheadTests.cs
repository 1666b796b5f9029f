using RescueKit.Backup.Archive;
using RescueKit.Host.Native;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>The read-ahead asks the kernel for no more than its window of file data beyond the archiver, follows the
/// archiver as it moves on, and leaves out what the archiver does not read (sparse files' holes, second hard links).</summary>
[TestFixture]
public sealed class ReadAheadTests
{
    private const long MiB = 1 << 20;
    private string root = null!;

    [SetUp]
    public void MakeRoot() => root = Directory.CreateTempSubdirectory("rk-readahead-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(root, recursive: true);

    [Test]
    public void StaysWithinItsWindowAndFollowsTheArchiver()
    {
        // Walk order: the root (0), then f0 … f5 (1 … 6), 4 MiB each.
        for (var i = 0; i < 6; i++) File.WriteAllBytes(Path.Combine(root, $"f{i}"), new byte[4 * MiB]);
        using var readAhead = new ReadAhead(root, [], window: 8 * MiB);

        Assert.That(SettledTotal(readAhead, 8 * MiB), Is.EqualTo(8 * MiB), "f0 and f1 fill the window while the archiver is at the root");

        readAhead.Reached(3);
        Assert.That(SettledTotal(readAhead, 16 * MiB), Is.EqualTo(16 * MiB), "at f2 (index 3) the window holds f2 and f3");

        readAhead.ReadTo(4 * MiB);
        Assert.That(SettledTotal(readAhead, 20 * MiB), Is.EqualTo(20 * MiB), "with f2 read, f4 fits too");

        readAhead.Reached(7);
        readAhead.Complete();
        Assert.That(readAhead.TotalHinted, Is.EqualTo(20 * MiB), "f5, which the archiver has passed, is not read ahead");
    }

    [Test]
    public void LeavesOutSparseFilesAndSecondNamesOfAnInode()
    {
        using (var sparse = File.Create(Path.Combine(root, "a-sparse")))
        {
            sparse.Write(new byte[4096]);
            sparse.SetLength(64 * MiB);
        }
        File.WriteAllBytes(Path.Combine(root, "b-file"), new byte[MiB]);
        using (var top = DirectoryHandle.Open(root)) top.CreateHardLink("c-link"u8, top, "b-file"u8);
        using var readAhead = new ReadAhead(root, []);

        Assert.That(SettledTotal(readAhead, MiB), Is.EqualTo(MiB), "only b-file's data is read ahead");
        readAhead.Complete();
    }

    // Waits for the read-ahead to hint `expected` bytes, then a little longer, in case it goes past them.
    private static long SettledTotal(ReadAhead readAhead, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (readAhead.TotalHinted < expected && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Thread.Sleep(200);
        return readAhead.TotalHinted;
    }
}
