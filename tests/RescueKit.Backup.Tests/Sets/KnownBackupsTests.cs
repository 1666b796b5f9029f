using RescueKit.Backup.Sets;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Tests.Sets;

public class KnownBackupsTests
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
    public void TheFoundBackup_ItsSiblings_AndTheOthersGiven_NewestFirst_EachOnce_NoPartialOrDamagedOne()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var oldest = _scratch.Backup(_scratch.Request(started: at));
        var middle = _scratch.Backup(_scratch.Request(started: at.AddHours(1)));
        var newest = _scratch.Backup(_scratch.Request(started: at.AddHours(2)));
        var elsewhere = Path.Combine(_scratch.Target, "elsewhere");
        Directory.Move(oldest.Directory, elsewhere);
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(newest.Directory)!, ".20260101T030000Z.partial"));
        var damaged = Path.Combine(Path.GetDirectoryName(newest.Directory)!, "20260101T040000Z");
        Directory.CreateDirectory(damaged);
        File.WriteAllText(Path.Combine(damaged, BackupSetNames.Manifest), "{ not json");

        var known = KnownBackups.Around(middle.Directory, [elsewhere, newest.Directory + "/", "/nonexistent/backup"]);

        Assert.That(known.Select(b => b.Directory), Is.EqualTo(new[] { newest.Directory, middle.Directory, elsewhere }));
    }

    [Test]
    public void OtherHostsOfTheRepository_ComeAfterThisHosts_ByHost_NewestFirst()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var mine = _scratch.Backup(_scratch.Request(started: at));
        var zulu = _scratch.Backup(_scratch.Request(started: at.AddHours(3)) with { Host = "zulu" });
        var alphaOld = _scratch.Backup(_scratch.Request(started: at.AddHours(1)) with { Host = "alpha" });
        var alphaNew = _scratch.Backup(_scratch.Request(started: at.AddHours(2)) with { Host = "alpha" });

        var known = KnownBackups.Around(mine.Directory, []);

        Assert.That(known.Select(b => b.Directory), Is.EqualTo(new[] { mine.Directory, alphaNew.Directory, alphaOld.Directory, zulu.Directory }));
    }

    [Test]
    public void ABackupNotInAHostDirectory_HasNoOtherHostsAroundIt()
    {
        // A disc series mounts each disc's backup at …/discs/srN/backup: the discs beside it are no other hosts.
        var mine = _scratch.Backup(_scratch.Request());
        var discs = Path.Combine(_scratch.Directory, "discs");
        var disc1 = Path.Combine(discs, "sr0", "backup");
        var disc2 = Path.Combine(discs, "sr1", "backup");
        Directory.CreateDirectory(Path.GetDirectoryName(disc1)!);
        Directory.CreateDirectory(Path.GetDirectoryName(disc2)!);
        RescueKit.Tests.Shared.ExternalTool.RunOk("cp", "coreutils", ["-a", mine.Directory, disc1]);
        RescueKit.Tests.Shared.ExternalTool.RunOk("cp", "coreutils", ["-a", mine.Directory, disc2]);

        Assert.That(KnownBackups.Around(disc1, []).Select(b => b.Directory), Is.EqualTo(new[] { disc1 }));
    }

    [Test]
    public void NothingFound_AndNothingGiven_IsNone() =>
        Assert.That(KnownBackups.Around(null, []), Is.Empty);
}
