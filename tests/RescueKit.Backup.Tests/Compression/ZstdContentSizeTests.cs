using System.Security.Cryptography;
using RescueKit.Host.Compression;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Compression;

/// <summary>A frame written with its size known records it, as the zstd tool lists it; one without does not; a stream
/// that receives another number of bytes than it was told fails rather than write a frame that lies.</summary>
public sealed class ZstdContentSizeTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("rk-zstdsize-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string Listed(string file) => ExternalTool.RunOk("zstd", "zstd", ["-lv", file]);

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(100_000)]
    [TestCase(3 << 20)]
    public void KnownSize_IsInTheFrameHeader(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var file = Path.Join(_dir, "known.zst");
        using (var output = File.Create(file))
        using (var zstd = new ZstdCompressStream(output, level: 19, contentSize: size))
        {
            zstd.Write(data, 0, size / 2);
            zstd.Write(data, size / 2, size - size / 2);
        }

        Assert.That(Listed(file), Does.Contain($"Decompressed Size: ").And.Contain($"({size} B)"));
        ExternalTool.RunOk("zstd", "zstd", ["-d", "-q", file, "-o", Path.Join(_dir, "out")]);
        Assert.That(File.ReadAllBytes(Path.Join(_dir, "out")), Is.EqualTo(data));
    }

    [Test]
    public void UnknownSize_LeavesItOut()
    {
        var file = Path.Join(_dir, "unknown.zst");
        using (var output = File.Create(file))
        using (var zstd = new ZstdCompressStream(output))
            zstd.Write(RandomNumberGenerator.GetBytes(100_000));

        Assert.That(Listed(file), Does.Not.Contain("Decompressed Size"));
    }

    [Test]
    public void FewerBytesThanPromised_Fails()
    {
        using var output = new MemoryStream();
        var zstd = new ZstdCompressStream(output, contentSize: 1000);
        zstd.Write(new byte[999]);

        var e = Assert.Throws<IOException>(() => zstd.Dispose())!;

        Assert.That(e.Message, Does.Contain("zstd"));
    }
}
