using System.Security.Cryptography;
using System.Text.Json;
using RescueKit.Core;
using RescueKit.Host;
using RescueKit.Media.BackupMedia;
using RescueKit.Media.Steps;
using RescueKit.Tests.Shared;

namespace RescueKit.Media.Tests;

/// <summary>
/// The rescue ISO with a backup set on it, and the numbered series when the set does not fit one medium: built from
/// this host's kernel and boot loaders, each volume read back with isoinfo and xorriso.
/// </summary>
public class BackupIsoSeriesTests
{
    private const long MiB = 1024 * 1024;

    /// <summary>A finished backup set as the backup writer leaves it: small files and incompressible chunks.</summary>
    private static string FakeSet(TempDirectory dir, int chunks, long chunkBytes)
    {
        var set = dir.Combine("set");
        Directory.CreateDirectory(Path.Combine(set, "sets"));
        File.WriteAllText(Path.Combine(set, "manifest.json"), "{\"formatVersion\":1}\n");
        File.WriteAllText(Path.Combine(set, "layout.json"), "{\"formatVersion\":1}\n");
        var random = new Random(42);
        var buffer = new byte[chunkBytes];
        for (var i = 0; i < chunks; i++)
        {
            random.NextBytes(buffer);
            File.WriteAllBytes(Path.Combine(set, "sets", $"root.tar.zst.{i:000}"), buffer);
        }
        return set;
    }

    private static (RescueConfig Config, WriteBackupIsoSeriesStep Step) Build(TempDirectory dir, string set, long capacity)
    {
        var config = new RescueConfig
        {
            OutputDirectory = dir.Combine("out"),
            HostName = "testhost",
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            // The ISO only carries the binary; this test never boots it, so any file stands in for it.
            RescueBinary = dir.Write("rescuekit", "stand-in"),
            Version = "0.0.0",
        };
        var step = new WriteBackupIsoSeriesStep(set, capacity);
        var builder = new RescueMediaBuilder(new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None);
        builder.Build(config, RescueMediaBuilder.BackupIsoSteps(step));
        return (config, step);
    }

    private static string VolumeId(string iso) =>
        ExternalTool.RunOk("isoinfo", "genisoimage", ["-d", "-i", iso]).Split('\n')
            .Single(l => l.StartsWith("Volume id:", StringComparison.Ordinal))["Volume id:".Length..].Trim();

    private static string[] Files(string iso) =>
        ExternalTool.RunOk("isoinfo", "genisoimage", ["-f", "-R", "-i", iso])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Test]
    public void SetLargerThanOneMedium_IsWrittenAsANumberedSeries_EachVolumeWithinTheMedium()
    {
        using var dir = new TempDirectory();
        var set = FakeSet(dir, chunks: 6, chunkBytes: 20 * MiB);
        // The medium: the rescue ISO alone plus room for two chunks (not three), so volume 1 takes two and the rest follow.
        long capacity;
        using (var probeDir = new TempDirectory())
        {
            var probe = Build(probeDir, FakeSet(probeDir, chunks: 0, chunkBytes: 0), capacity: long.MaxValue / 2);
            capacity = new FileInfo(probe.Config.IsoPath).Length + 45 * MiB;
        }

        var (config, step) = Build(dir, set, capacity);

        Assert.That(step.Written, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(step.Written[0], Is.EqualTo(config.IsoPath));
        var seen = new List<string>();
        for (var i = 0; i < step.Written.Count; i++)
        {
            var iso = step.Written[i];
            var number = i + 1;
            Assert.That(new FileInfo(iso).Length, Is.LessThanOrEqualTo(capacity), iso);
            Assert.That(VolumeId(iso), Is.EqualTo(number == 1 ? "RESCUEKIT" : $"RESCUEKIT_{number}"));
            var files = Files(iso);
            Assert.That(files, Does.Contain("/backup/manifest.json").And.Contain("/backup/layout.json").And.Contain("/backup/volume.json"));
            Assert.That(files.Contains("/boot/vmlinuz"), Is.EqualTo(number == 1), "only volume 1 carries the rescue system");

            var index = JsonDocument.Parse(ExternalTool.RunOk("isoinfo", "genisoimage", ["-R", "-i", iso, "-x", "/backup/volume.json"])).RootElement;
            Assert.That(index.GetProperty("volume").GetInt32(), Is.EqualTo(number));
            Assert.That(index.GetProperty("volumes").GetInt32(), Is.EqualTo(step.Written.Count));
            var chunks = index.GetProperty("chunks").EnumerateArray().Select(c => c.GetString()!).ToList();
            Assert.That(files.Where(f => f.StartsWith("/backup/sets/", StringComparison.Ordinal)),
                Is.EquivalentTo(chunks.Select(c => "/backup/" + c)));
            foreach (var chunk in chunks)
            {
                var extracted = dir.Combine("x", chunk.Replace('/', '_'));
                Directory.CreateDirectory(Path.GetDirectoryName(extracted)!);
                ExternalTool.RunOk("xorriso", "xorriso", ["-osirrox", "on", "-indev", iso, "-extract", "/backup/" + chunk, extracted]);
                Assert.That(SHA256.HashData(File.ReadAllBytes(extracted)),
                    Is.EqualTo(SHA256.HashData(File.ReadAllBytes(Path.Combine(set, chunk)))), chunk);
            }
            if (number == 1) Assert.That(chunks, Has.Count.EqualTo(2), "volume 1 holds what fits beside the rescue system");
            seen.AddRange(chunks);
        }
        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 6).Select(i => $"sets/root.tar.zst.{i:000}")), "each chunk once, in order");
    }

    [Test]
    public void VolumesOfAnEarlierLongerSeries_AreRemoved_OnceTheNewSeriesIsWritten()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("out"));
        var stale = new[] { dir.Write("out/rescuekit-testhost-2.iso", "old"), dir.Write("out/rescuekit-testhost-3.iso", "old") };

        var (config, step) = Build(dir, FakeSet(dir, chunks: 1, chunkBytes: MiB), capacity: long.MaxValue / 2);

        Assert.That(step.Written, Is.EqualTo(new[] { config.IsoPath }));
        Assert.That(stale.Where(File.Exists), Is.Empty);
    }

    [Test]
    public void ChunkLargerThanTheMedium_FailsNamingTheChunk_AndLeavesNoIso()
    {
        using var dir = new TempDirectory();
        var set = FakeSet(dir, chunks: 1, chunkBytes: 20 * MiB);

        var e = Assert.Throws<MediumTooSmallException>(() => Build(dir, set, capacity: 10 * MiB))!;

        Assert.That(e.Message, Does.Contain("larger media").Or.Contain("smaller chunks"));
        Assert.That(Directory.Exists(dir.Combine("out")) ? Directory.GetFiles(dir.Combine("out"), "*.iso*") : [], Is.Empty);
    }

    [Test]
    public void DirectoryWithoutManifest_IsNotABackup()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("empty"));

        var e = Assert.Throws<BadInputException>(() => WriteBackupIsoSeriesStep.ListSet(dir.Combine("empty")))!;

        Assert.That(e.Message, Does.Contain("manifest.json"));
    }
}
