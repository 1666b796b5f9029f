using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Tests.Sets;

/// <summary>
/// verify against tampering, including by someone who also rewrites manifest.json's hashes (it is not signed): the
/// encrypted records bind stream, chunk and record numbers and the end of the stream, so reordered, swapped,
/// truncated or dropped chunks still fail.
/// </summary>
public class BackupVerifierTests
{
    private BackupScratch _scratch = null!;
    private string _key = null!;

    [SetUp]
    public void CreateScratch()
    {
        _scratch = new BackupScratch();
        _key = _scratch.SecretFile("key", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _scratch.Write("random.bin", BackupScratch.Random(3 << 20));
    }

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    private BackupKey.Source Key => new(_key, null);

    private BackupSet Encrypted() => _scratch.Backup(_scratch.Request(SetCompression.None, 1 << 20, Key));

    private static VerifyReport Verify(BackupSet backup, BackupKey.Source? key = null) =>
        new BackupVerifier(Serilog.Core.Logger.None).Verify(BackupSet.Open(backup.Directory), BackupSet.Open(backup.Directory).Key(key), default);

    /// <summary>Rewrites manifest.json with the set's chunks replaced and their sizes and hashes made to match the files.</summary>
    private static void Forge(BackupSet backup, Func<IReadOnlyList<BackupFile>, IEnumerable<BackupFile>> chunks)
    {
        var set = backup.Manifest.Sets[0];
        var forged = chunks(set.Chunks).Select(c =>
        {
            var path = Path.Combine(backup.Directory, c.File);
            return c with { Size = new FileInfo(path).Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))) };
        }).ToList();
        var manifest = backup.Manifest with { Sets = [set with { Chunks = forged }] };
        File.WriteAllText(Path.Combine(backup.Directory, BackupSetNames.Manifest), BackupJson.SerializeManifest(manifest));
    }

    [Test]
    public void AnIntactEncryptedBackup_Verifies_AndWithoutItsKeyIsRefused()
    {
        var backup = Encrypted();

        var report = Verify(backup, Key);

        Assert.That(report.Faults, Is.Empty);
        Assert.That(report.Members, Is.EqualTo(backup.Manifest.Sets[0].ArchivedEntries));
        Assert.That(report.Chunks, Is.EqualTo(backup.Manifest.Sets[0].Chunks.Count).And.GreaterThanOrEqualTo(3));
        var noKey = Assert.Throws<BackupKeyNeededException>(() => Verify(backup))!;
        Assert.That((noKey.NeedsKeyFile, noKey.OtherKindGiven), Is.EqualTo((true, false)));
        Assert.That(noKey.Message, Does.Contain("encrypted with a key file").And.Not.Contain("--"), "the caller words the option");
    }

    [Test]
    public void SwappedChunks_WithForgedHashes_DoNotAuthenticate()
    {
        var backup = Encrypted();
        var chunks = backup.Manifest.Sets[0].Chunks;
        var a = Path.Combine(backup.Directory, chunks[0].File);
        var b = Path.Combine(backup.Directory, chunks[1].File);
        File.Move(a, a + ".tmp");
        File.Move(b, a);
        File.Move(a + ".tmp", b);
        Forge(backup, c => c);

        var report = Verify(backup, Key);

        Assert.That(report.Faults, Has.Some.Contains($"chunk {chunks[0].File} record 0 does not authenticate"));
    }

    [Test]
    public void ADroppedLastChunk_WithAForgedManifest_IsDetected()
    {
        var backup = Encrypted();

        Forge(backup, c => c.Take(c.Count - 1));
        var report = Verify(backup, Key);

        Assert.That(report.Faults, Has.Some.Contains("does not authenticate"), "the new last chunk does not end the stream");
    }

    [Test]
    public void AChunkCutAtARecordBoundary_WithAForgedManifest_IsDetected()
    {
        var backup = Encrypted();
        var chunk = backup.Manifest.Sets[0].Chunks[0];
        // Header (20) + one 64 KiB record with its 16-byte tag: a clean cut after record 0.
        using (var f = new FileStream(Path.Combine(backup.Directory, chunk.File), FileMode.Open)) f.SetLength(20 + (64 << 10) + 16);
        Forge(backup, c => c);

        var report = Verify(backup, Key);

        Assert.That(report.Faults, Has.Some.Contains($"chunk {chunk.File} record 0 does not authenticate"));
    }

    [Test]
    public void ACorruptedCatalog_IsNamed()
    {
        var backup = _scratch.Backup(_scratch.Request());
        var catalog = Path.Combine(backup.Directory, backup.Manifest.Catalog.File);
        var bytes = File.ReadAllBytes(catalog);
        bytes[^5] ^= 0xff;
        File.WriteAllBytes(catalog, bytes);

        var report = Verify(backup);

        Assert.That(report.Faults, Has.Some.Contains("catalog"));
    }

    [Test]
    public void ACorruptedZstdChunk_IsNamedEvenWhenTheDecoderNoticesFirst()
    {
        var backup = _scratch.Backup(_scratch.Request(SetCompression.Zstd, 1 << 20));
        var chunk = backup.Manifest.Sets[0].Chunks[1];
        var path = Path.Combine(backup.Directory, chunk.File);
        var bytes = File.ReadAllBytes(path);
        for (var i = 100; i < 200; i++) bytes[i] = 0;
        File.WriteAllBytes(path, bytes);

        var report = Verify(backup);

        Assert.That(report.Faults, Is.EqualTo(new[] { $"chunk {chunk.File} has the wrong SHA-256 (corrupted)" }));
    }
}
