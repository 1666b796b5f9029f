using System.Diagnostics;
using RescueKit.Backup.Archive;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>
/// Not a timed test: archives a generated ~500 MB tree (20,000 small files in 200 directories, six 50 MB files)
/// to a discarding stream, and GNU tar the same tree into a pipe to cat, plain and with --xattrs --acls (which reads
/// xattrs as TreeArchiver always does), all with a warm page cache, alternately five times (the machine is shared,
/// so the best round of each is printed). Run it alone:
/// <c>dotnet test tests/RescueKit.Backup.Tests -c Release --filter Name=ArchiveThroughput</c>.
/// </summary>
[TestFixture]
[Explicit("benchmark: prints figures, takes a minute")]
[Category("Benchmark")]
public sealed class ArchiveThroughputBenchmark
{
    [Test]
    public void ArchiveThroughput()
    {
        Ext4Mount.RequireRoot();
        var root = Ext4Mount.NewDirectory("bench");
        try
        {
            var bytes = Generate(root);
            double ours = 0, tar = 0, tarXattrs = 0;
            long archived = 0;
            for (var round = 0; round < 5; round++)
            {
                var watch = Stopwatch.StartNew();
                var summary = TreeArchiver.Write(new ArchiveOptions { Root = root }, Stream.Null, new DiscardingObserver(),
                    CancellationToken.None);
                ours = Math.Max(ours, bytes / 1e6 / watch.Elapsed.TotalSeconds);
                archived = summary.ContentBytes;
                tar = Math.Max(tar, Tar(root, bytes, "tar -cf - . | cat > /dev/null"));
                tarXattrs = Math.Max(tarXattrs, Tar(root, bytes, "tar --xattrs --xattrs-include='*' --acls -cf - . | cat > /dev/null"));
            }
            Assert.That(archived, Is.EqualTo(bytes));
            TestContext.Out.WriteLine($"tree: {bytes / 1e6:F0} MB in {SmallFiles + LargeFiles} files");
            TestContext.Out.WriteLine($"TreeArchiver -> null stream: {ours:F0} MB/s");
            TestContext.Out.WriteLine($"tar -cf - | cat > /dev/null: {tar:F0} MB/s (ratio {ours / tar:F2}x)");
            TestContext.Out.WriteLine($"tar --xattrs --acls -cf - | cat > /dev/null: {tarXattrs:F0} MB/s (ratio {ours / tarXattrs:F2}x)");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Tar(string root, long bytes, string command)
    {
        var watch = Stopwatch.StartNew();
        ExternalTool.RunOk("sh", "dash", ["-c", command], workingDirectory: root);
        return bytes / 1e6 / watch.Elapsed.TotalSeconds;
    }

    // A catalog writer streams entries out; keeping 100,000 of them in a list would measure the GC instead.
    private sealed class DiscardingObserver : IArchiveObserver
    {
        public void OnEntry(ArchivedEntry entry, bool archived)
        {
        }

        public void OnWarning(string path, string message) => Assert.Fail($"{path}: {message}");
    }

    private const int SmallFiles = 20_000;
    private const int LargeFiles = 6;

    private static long Generate(string root)
    {
        var random = new Random(42);
        var buffer = new byte[50 << 20];
        random.NextBytes(buffer);
        long total = 0;
        for (var i = 0; i < SmallFiles; i++)
        {
            var directory = Path.Combine(root, $"d{i % 200:D3}");
            Directory.CreateDirectory(directory);
            var size = random.Next(512, 16 * 1024);
            using var file = File.Create(Path.Combine(directory, $"f{i:D5}"));
            file.Write(buffer, random.Next(0, 1 << 20), size);
            total += size;
        }
        for (var i = 0; i < LargeFiles; i++)
        {
            File.WriteAllBytes(Path.Combine(root, $"large{i}"), buffer);
            total += buffer.Length;
        }
        return total;
    }
}
