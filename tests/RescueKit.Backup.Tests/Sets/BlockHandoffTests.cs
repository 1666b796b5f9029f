using System.Security.Cryptography;
using RescueKit.Backup.Sets;

namespace RescueKit.Backup.Tests.Sets;

/// <summary>The hand-off between two pipeline stages: every byte in order through few small blocks, and a failure on
/// either side wakes the other.</summary>
[TestFixture]
public sealed class BlockHandoffTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void PassesEveryByteInOrderThroughTwoBlocks()
    {
        var data = RandomNumberGenerator.GetBytes(300_000);
        var handoff = new BlockHandoff(blockSize: 1000, blocks: 2);
        var writer = Task.Run(() =>
        {
            using var stream = handoff.Writer;
            // Writes of odd sizes, smaller and larger than a block, so blocks fill across writes.
            for (int at = 0, size = 1; at < data.Length; at += size, size = size * 7 % 2999 + 1)
                stream.Write(data, at, Math.Min(size, data.Length - at));
        });
        var output = new MemoryStream();
        handoff.DrainTo(output);
        Assert.That(writer.Wait(Timeout), Is.True);
        Assert.That(output.ToArray(), Is.EqualTo(data));
    }

    [Test]
    public void AFailedReaderStopsTheWaitingWriter()
    {
        var handoff = new BlockHandoff(blockSize: 1000, blocks: 2);
        var writer = Task.Run(() =>
        {
            // Nobody drains: the third block's write waits until the failure.
            for (var i = 0; i < 10; i++) handoff.Writer.Write(new byte[1000]);
        });
        Thread.Sleep(100);
        Assert.That(writer.IsCompleted, Is.False, "the writer waits for a free block");
        var disk = new IOException("No space left on device");
        handoff.Fail(disk);
        var thrown = Assert.Throws<AggregateException>(() => writer.Wait(Timeout))!.InnerException;
        Assert.That(thrown, Is.TypeOf<OperationCanceledException>());
        Assert.That(thrown!.InnerException, Is.SameAs(disk));
    }

    [Test]
    public void AFailedWriterWakesTheWaitingReader()
    {
        var handoff = new BlockHandoff(blockSize: 1000, blocks: 2);
        var reader = Task.Run(() => handoff.DrainTo(Stream.Null));
        Thread.Sleep(100);
        Assert.That(reader.IsCompleted, Is.False, "the reader waits for a block");
        handoff.Fail(new InvalidDataException("tar failed"));
        var thrown = Assert.Throws<AggregateException>(() => reader.Wait(Timeout))!.InnerException;
        Assert.That(thrown, Is.TypeOf<OperationCanceledException>());
    }
}
