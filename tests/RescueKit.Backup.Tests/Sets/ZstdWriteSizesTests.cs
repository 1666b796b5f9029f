using System.Security.Cryptography;
using RescueKit.Backup.Sets;
using RescueKit.Core.Backup;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Sets;

/// <summary>The set compressor takes writes of any size, below, at and above its 1 MiB stage (the tar writer's
/// headers, small files and 1 MiB pieces of large ones, which bypass the stage), and what the zstd tool decompresses
/// is exactly what was written, in order.</summary>
[TestFixture]
public sealed class ZstdWriteSizesTests
{
    [Test]
    public void WritesAroundTheStageSizeDecompressToTheSameBytesWithTheZstdTool()
    {
        const int MiB = 1 << 20;
        int[] sizes = [512, MiB, MiB, 1, MiB - 1, MiB, 3 * MiB + 7, 4096, MiB - 4096, MiB, 100];
        var data = RandomNumberGenerator.GetBytes(sizes.Sum());
        var work = Directory.CreateTempSubdirectory("rk-zstd-").FullName;
        try
        {
            var file = Path.Combine(work, "data.zst");
            using (var output = File.Create(file))
            using (var compressor = SetCompression.Compress(new BackupCompression(SetCompression.Zstd, 3), output))
            {
                var at = 0;
                foreach (var size in sizes)
                {
                    compressor.Write(data, at, size);
                    at += size;
                }
            }
            ExternalTool.RunOk("zstd", "zstd", ["-d", "-q", file, "-o", Path.Combine(work, "data")]);
            Assert.That(File.ReadAllBytes(Path.Combine(work, "data")), Is.EqualTo(data));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
