using RescueKit.Core;
using RescueKit.Media.BackupMedia;

namespace RescueKit.Media.Tests;

/// <summary>How a backup set's chunks are spread over media of one size (the ISO sizes come from a model here).</summary>
public class BackupVolumePlannerTests
{
    private const long Medium = 1_000_000;

    private static BackupFile Chunk(int i, long size) => new($"sets/root.tar.zst.{i:000}", $"/nowhere/{i}", size);

    /// <summary>A volume's image: a fixed overhead, the rescue system on volume 1, and the chunks it holds.</summary>
    private static Func<int, IReadOnlyList<BackupFile>, long> Model(long rescueSystem) =>
        (number, chunks) => 50_000 + (number == 1 ? rescueSystem : 0) + chunks.Sum(c => c.Size);

    [TestCase(4_700_000_000L, 1L << 30)]
    [TestCase(700L * 1024 * 1024, 175L * 1024 * 1024)]
    [TestCase(10_000_000L, 2L * 1024 * 1024)]
    [TestCase(1_000_000L, 1L << 20)]
    public void ChunkSize_IsAQuarterOfTheMedium_InWholeMiB_BetweenTheLimits(long capacity, long chunkSize) =>
        Assert.That(BackupVolumePlanner.ChunkSizeFor(capacity), Is.EqualTo(chunkSize));

    [Test]
    public void EverythingFits_OneVolume()
    {
        var chunks = Enumerable.Range(0, 3).Select(i => Chunk(i, 100_000)).ToList();

        var volumes = BackupVolumePlanner.Plan(chunks, Medium, Model(rescueSystem: 300_000));

        Assert.That(volumes, Has.Count.EqualTo(1));
        Assert.That(volumes[0].Chunks, Is.EqualTo(chunks));
    }

    [Test]
    public void Overflow_StartsNumberedVolumes_InOrder_AndNoVolumeExceedsTheMedium()
    {
        var chunks = Enumerable.Range(0, 10).Select(i => Chunk(i, 200_000)).ToList();
        var model = Model(rescueSystem: 500_000);

        var volumes = BackupVolumePlanner.Plan(chunks, Medium, model);

        Assert.That(volumes.Select(v => v.Number), Is.EqualTo(Enumerable.Range(1, volumes.Count)));
        Assert.That(volumes.SelectMany(v => v.Chunks), Is.EqualTo(chunks), "every chunk once, in restore order");
        Assert.That(volumes, Has.All.Matches<BackupVolume>(v =>
            model(v.Number, v.Chunks) <= Medium - BackupVolumePlanner.IndexReserveBytes));
        // Volume 1 carries the rescue system, so fewer chunks: 500k + 50k + 2 x 200k = 950k exceeds the 934k limit, so one.
        Assert.That(volumes[0].Chunks, Has.Count.EqualTo(1));
        Assert.That(volumes[1].Chunks, Has.Count.EqualTo(4));
    }

    [Test]
    public void ChunkLargerThanAMedium_IsRefusedNamingTheChunkAndTheFix()
    {
        var chunks = new[] { Chunk(0, 100_000), Chunk(1, 2_000_000) };

        var e = Assert.Throws<MediumTooSmallException>(() => BackupVolumePlanner.Plan(chunks, Medium, Model(100_000)))!;

        Assert.That(e.Chunk, Is.EqualTo("sets/root.tar.zst.001"));
        Assert.That(e.Message, Does.Contain("sets/root.tar.zst.001").And.Contain("smaller chunks").And.Not.Contain("--"));
    }

    [Test]
    public void RescueSystemLargerThanAMedium_IsRefusedSayingTheMediaMustBeLarger()
    {
        var e = Assert.Throws<MediumTooSmallException>(() => BackupVolumePlanner.Plan([Chunk(0, 1)], Medium, Model(2_000_000)))!;

        Assert.That(e.Chunk, Is.Null);
        Assert.That(e.Message, Does.Contain("the rescue system alone needs").And.Contain("larger media").And.Not.Contain("--"));
    }
}

public class MediaSizeTests
{
    [TestCase("4.7G", 4_700_000_000L)]
    [TestCase("700M", 700_000_000L)]
    [TestCase("700MiB", 734_003_200L)]
    [TestCase("1GiB", 1_073_741_824L)]
    [TestCase("dvd", 4_700_372_992L)]
    [TestCase("cd", 737_280_000L)]
    [TestCase("25000000000", 25_000_000_000L)]
    public void Parses(string text, long bytes) => Assert.That(MediaSize.Parse(text), Is.EqualTo(bytes));

    [TestCase("")]
    [TestCase("big")]
    [TestCase("-1G")]
    [TestCase("10")]
    [TestCase("5iB")]
    public void BadSizes_NameTheValueAndTheForm(string text)
    {
        var e = Assert.Throws<RescueKit.Core.BadInputException>(() => MediaSize.Parse(text))!;
        Assert.That(e.Message, Does.StartWith($"media size '{text}'"));
    }
}
