using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Sets;

/// <summary>The set writer's output, read back by independent tools (sha256sum, zstd, gzip, GNU tar).</summary>
public class BackupSetWriterTests
{
    private BackupScratch _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = new BackupScratch();

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    [Test]
    public void AFullBackup_IsPublishedWithChunksWhoseSizesAndHashesSha256sumConfirms()
    {
        _scratch.Write("big.bin", BackupScratch.Random(3 << 20));
        _scratch.Write("etc/hello.txt", "hello\n"u8.ToArray());

        var backup = _scratch.Backup(_scratch.Request(chunkSize: 1 << 20));

        Assert.That(_scratch.HostDirectory + "/" + backup.Manifest.Id, Is.EqualTo(backup.Directory));
        Assert.That(Directory.EnumerateDirectories(_scratch.HostDirectory).Select(Path.GetFileName), Is.EqualTo(new[] { backup.Name }));
        var set = backup.Manifest.Sets.Single();
        Assert.That(set.Chunks, Has.Count.GreaterThanOrEqualTo(3), "3 MiB of random data in 1 MiB chunks");
        Assert.That(set.Chunks.Select(c => c.File), Is.EqualTo(set.Chunks.Select((_, i) => $"sets/data.tar.zst.{i:D3}")));
        foreach (var chunk in set.Chunks)
        {
            var path = Path.Combine(backup.Directory, chunk.File);
            Assert.That(new FileInfo(path).Length, Is.EqualTo(chunk.Size).And.LessThanOrEqualTo(1 << 20));
            var sum = ExternalTool.RunOk("sha256sum", "coreutils", [path]).Split(' ')[0];
            Assert.That(sum, Is.EqualTo(chunk.Sha256), chunk.File);
        }
        Assert.That(set.EntryCount, Is.EqualTo(4), ". etc etc/hello.txt big.bin");
        Assert.That(set.ArchivedEntries, Is.EqualTo(4));
        Assert.That(set.ContentBytes, Is.EqualTo((3 << 20) + 6));
        Assert.That(backup.Manifest.Kind, Is.EqualTo(BackupKinds.Full));
        Assert.That(File.ReadAllText(Path.Combine(backup.Directory, "layout.json")), Is.EqualTo("{\"formatVersion\":1}"));
    }

    [TestCase(SetCompression.Zstd, "zstd -dc", "zstd")]
    [TestCase(SetCompression.Gzip, "gzip -dc", "gzip")]
    [TestCase(SetCompression.None, "cat", "coreutils")]
    public void TheChunksConcatenated_AreAStandardArchiveGnuTarExtracts(string compression, string decompress, string package)
    {
        var content = BackupScratch.Random(2 << 20);
        _scratch.Write("dir/file.bin", content);
        var backup = _scratch.Backup(_scratch.Request(compression, chunkSize: 1 << 20));
        var joined = BackupScratch.Concatenate(backup, Path.Combine(_scratch.Directory, "joined"));
        var into = Directory.CreateDirectory(Path.Combine(_scratch.Directory, "out")).FullName;

        ExternalTool.Require(decompress.Split(' ')[0], package);
        ExternalTool.RunOk("sh", "dash", ["-c", $"{decompress} \"$0\" | tar -x -C \"$1\"", joined, into]);

        Assert.That(File.ReadAllBytes(Path.Combine(into, "dir/file.bin")), Is.EqualTo(content));
    }

    [Test]
    public void TheCatalog_ListsEveryEntryWithItsMetadata_AndNonUtf8NamesInBase64()
    {
        _scratch.Write("a.txt", "abc"u8.ToArray());
        // .NET strings cannot name a file with invalid UTF-8; the shell can.
        ExternalTool.RunOk("sh", "dash", ["-c", "touch \"$(printf '%s/f\\377g' \"$0\")\"", _scratch.Source]);
        var backup = _scratch.Backup(_scratch.Request());

        var entries = CatalogReader.Read(backup, null).ToList();

        var a = entries.Single(e => e.Path == "a.txt");
        Assert.That((a.Type, a.Size, a.Set, a.Archived), Is.EqualTo((CatalogTypes.File, 3L, "data", true)));
        Assert.That(a.Mtime, Is.EqualTo(new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(_scratch.Source, "a.txt"))).ToUnixTimeMilliseconds() * 1_000_000).Within(1_000_000));
        Assert.That(entries.Single(e => e.Path == ".").Type, Is.EqualTo(CatalogTypes.Directory));
        var odd = entries.Single(e => e.PathBase64 is not null);
        Assert.That(odd.PathBytes(), Is.EqualTo(new byte[] { 0x66, 0xff, 0x67 }));
        Assert.That(odd.Path, Is.Null);
        Assert.That(entries, Has.Count.EqualTo(backup.Manifest.Sets[0].EntryCount));
    }

    [Test]
    public void AnEncryptedBackup_IsNotReadableAsTar_AndTheManifestHoldsTheKdfButNoKey()
    {
        _scratch.Write("secret.txt", "top secret text"u8.ToArray());
        var passphrase = _scratch.SecretFile("pass", "correct horse battery staple\n"u8.ToArray());

        var backup = _scratch.Backup(_scratch.Request(encryption: new BackupKey.Source(null, passphrase)));

        var encryption = backup.Manifest.Encryption!;
        Assert.That((encryption.Cipher, encryption.Kdf), Is.EqualTo(("aes-256-gcm", "pbkdf2-sha256")));
        Assert.That(encryption.Iterations, Is.GreaterThanOrEqualTo(600_000));
        Assert.That(Convert.FromBase64String(encryption.Salt!), Has.Length.EqualTo(16));
        foreach (var file in Directory.EnumerateFiles(backup.Directory, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.That(IndexOf(bytes, "correct horse"u8.ToArray()), Is.EqualTo(-1), file);
            Assert.That(IndexOf(bytes, "secret.txt"u8.ToArray()), Is.EqualTo(-1), $"{file} leaks a file name");
        }
        var joined = BackupScratch.Concatenate(backup, Path.Combine(_scratch.Directory, "joined"));
        Assert.That(ExternalTool.Run("zstd", "zstd", ["-t", joined]).ExitCode, Is.Not.EqualTo(0));
    }

    [Test]
    public void AWrongPassphraseForAnEncryptedBase_IsRefusedBeforeAnythingIsWritten()
    {
        _scratch.Write("f", "x"u8.ToArray());
        var right = _scratch.SecretFile("right", "right one"u8.ToArray());
        var wrong = _scratch.SecretFile("wrong", "wrong one"u8.ToArray());
        var full = _scratch.Backup(_scratch.Request(encryption: new BackupKey.Source(null, right)));
        var before = Directory.EnumerateFileSystemEntries(_scratch.HostDirectory).Order().ToList();

        var e = Assert.Throws<BadInputException>(() =>
            _scratch.Backup(_scratch.Request(encryption: new BackupKey.Source(null, wrong), since: full.Directory, started: DateTimeOffset.UtcNow.AddMinutes(1))));

        Assert.That(e!.Message, Does.Contain("not the passphrase of backup " + full.Name));
        Assert.That(Directory.EnumerateFileSystemEntries(_scratch.HostDirectory).Order().ToList(), Is.EqualTo(before));
    }

    [Test]
    public void ACancelledBackup_LeavesNoBackup_AndTheNextOneRemovesWhatItLeft()
    {
        _scratch.Write("big.bin", BackupScratch.Random(8 << 20));
        using var cancel = new CancellationTokenSource();
        var request = _scratch.Request(SetCompression.Gzip);
        var staging = new BackupRepository(_scratch.Target, BackupScratch.Host).StagingDirectory(
            new BackupRepository(_scratch.Target, BackupScratch.Host).NewId(request.Started));
        // A stale partial as a SIGKILLed run leaves it: hidden, no manifest.
        Directory.CreateDirectory(Path.Combine(_scratch.HostDirectory, ".20000101T000000Z.partial", "sets"));
        Assert.Throws(Is.InstanceOf<OperationCanceledException>(),
            () => _scratch.Backup(request, cancel.Token, new BackupScratch.CancelMidway(cancel)));

        Assert.That(Directory.Exists(staging), Is.False, "the cancelled run removes its own staging directory");
        Assert.That(new BackupRepository(_scratch.Target, BackupScratch.Host).CompleteBackups(), Is.Empty);
        Assert.That(Directory.Exists(Path.Combine(_scratch.HostDirectory, ".20000101T000000Z.partial")), Is.False,
            "the stale partial of an earlier run is removed when a backup starts");
    }

    [Test]
    public void TwoBackupsInTheSameSecond_GetDistinctIds()
    {
        _scratch.Write("f", "x"u8.ToArray());
        var at = DateTimeOffset.UtcNow;
        var first = _scratch.Backup(_scratch.Request(started: at));
        var second = _scratch.Backup(_scratch.Request(started: at));

        Assert.That(second.Name, Is.Not.EqualTo(first.Name));
        Assert.That(new BackupRepository(_scratch.Target, BackupScratch.Host).CompleteBackups(), Is.EqualTo(new[] { first.Name, second.Name }));
    }

    [TestCase("size=2m", ExitCodes.Failed, "the backup target is full")]
    [TestCase("size=2m,ro", ExitCodes.BadInput, "read-only file system")]
    public void AFullOrReadOnlyTarget_IsOneClearError_AndLeavesNothingBehind(string options, int exitCode, string message)
    {
        if (!Environment.IsPrivilegedProcess) Assert.Fail("this test mounts a tmpfs as the target: run it as root");
        Directory.CreateDirectory(_scratch.Target);
        _scratch.Write("big.bin", BackupScratch.Random(4 << 20));
        ExternalTool.RunOk("mount", "mount", ["-t", "tmpfs", "-o", options, "tmpfs", _scratch.Target]);
        try
        {
            var e = Assert.Throws(Is.InstanceOf<RescueKitException>(), () => _scratch.Backup(_scratch.Request(SetCompression.None)));

            Assert.That(((RescueKitException)e!).ExitCode, Is.EqualTo(exitCode));
            Assert.That(e.Message, Does.Contain(message));
            var left = ExternalTool.RunOk("find", "findutils", [_scratch.Target, "-mindepth", "1", "-not", "-name", ".lock", "-not", "-name", BackupScratch.Host]);
            Assert.That(left, Is.Empty, "no staging directory or chunk is left");
        }
        finally
        {
            ExternalTool.RunOk("umount", "mount", [_scratch.Target]);
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
