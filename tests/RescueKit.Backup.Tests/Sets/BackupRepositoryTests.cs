using RescueKit.Backup.Sets;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Tests.Sets;

public class BackupRepositoryTests
{
    private BackupScratch _scratch = null!;

    [SetUp]
    public void CreateScratch()
    {
        _scratch = new BackupScratch();
        _scratch.Write("f", "x"u8.ToArray());
    }

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    [Test]
    public void Prune_KeepsTheNewest_AndEveryBaseOfAKeptIncremental()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var full1 = _scratch.Backup(_scratch.Request(started: at));
        var full2 = _scratch.Backup(_scratch.Request(started: at.AddHours(1)));
        var inc1 = _scratch.Backup(_scratch.Request(since: full2.Directory, started: at.AddHours(2)));
        var inc2 = _scratch.Backup(_scratch.Request(since: inc1.Name, started: at.AddHours(3)));
        var repository = new BackupRepository(_scratch.Target, BackupScratch.Host);

        var removed = repository.Prune(1);

        Assert.That(removed, Is.EqualTo(new[] { full1.Name }));
        Assert.That(repository.CompleteBackups(), Is.EqualTo(new[] { full2.Name, inc1.Name, inc2.Name }));
        Assert.That(inc2.Chain().Select(b => b.Name), Is.EqualTo(new[] { full2.Name, inc1.Name, inc2.Name }));
    }

    [Test]
    public void ABackupBeingWritten_HoldsTheLock()
    {
        var repository = new BackupRepository(_scratch.Target, BackupScratch.Host);
        using var held = repository.Lock();

        var e = Assert.Throws<RescueKit.Core.RescueKitException>(() => _scratch.Backup(_scratch.Request()));

        Assert.That(e!.Message, Does.Contain("another backup of testhost is running"));
    }

    [Test]
    public void AChainWhoseBaseWasReplaced_IsRefused()
    {
        var full = _scratch.Backup(_scratch.Request(started: DateTimeOffset.UtcNow.AddHours(-1)));
        var incremental = _scratch.Backup(_scratch.Request(since: full.Directory));
        File.AppendAllText(Path.Combine(full.Directory, BackupSetNames.Manifest), " ");

        var e = Assert.Throws<RescueKit.Core.RescueKitException>(() => BackupSet.Open(incremental.Directory).Chain());

        Assert.That(e!.Message, Does.Contain("the chain is broken"));
    }
}
