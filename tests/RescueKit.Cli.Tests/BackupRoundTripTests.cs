using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `rescuekit backup` of a loop-mounted ext4 tree holding every kind of entry the issue names, restored by GNU tar
/// with the command docs/backup.md gives, by `rescuekit extract`, and checked by `rescuekit verify` and `compare`.
/// </summary>
public class BackupRoundTripTests
{
    private BackupScratch _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = new BackupScratch();

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    /// <summary>Regular, empty, sparse, setuid and hard-linked files, a symlink, a fifo, a device node, xattrs, an ACL,
    /// numeric owners, nanosecond mtimes, a name that is not UTF-8, a 255-byte name and a path of over 3000 bytes.</summary>
    private void BuildTree()
    {
        ExternalTool.Require("setfacl", "acl");
        ExternalTool.Require("setfattr", "attr");
        _scratch.Source.Shell("""
            mkdir -p etc/deep empty-dir
            printf 'hello\n' > etc/hello.txt
            head -c 3000000 /dev/urandom > random.bin
            : > empty
            truncate -s 64M sparse.img && printf 'data in the middle' | dd of=sparse.img bs=1 seek=33554432 conv=notrunc 2>/dev/null
            cp etc/hello.txt setuid && chmod 4755 setuid
            ln random.bin hardlink.bin
            ln -s etc/hello.txt link-to-hello
            mkfifo fifo
            mknod null-device c 1 3
            chown 1234:5678 etc/hello.txt
            setfattr -n user.comment -v 'kept by the backup' etc/hello.txt
            setfacl -m u:4321:rwx,g:8765:r-x etc
            setfacl -d -m u:4321:rwx etc
            touch -h -d '2021-03-04 05:06:07.123456789' etc/hello.txt link-to-hello
            touch "$(printf 'latin1-\351t\351')"
            touch "$(printf 'n%.0s' $(seq 255))"
            p=.; for i in $(seq 14); do p="$p/$(printf 'd%.0s' $(seq 200))"; done; mkdir -p "$p" && printf deep > "$p/file"
            """);
    }

    [Test]
    public void GnuTar_RestoresTheBackupExactly_WithTheCommandTheDocsGive()
    {
        BuildTree();
        var backup = BackupScratch.BackupDirectory(_scratch.Backup("--chunk-size", "1M"));
        var chunks = BackupScratch.Chunks(backup);
        Assert.That(chunks, Has.Count.GreaterThan(1), "3 MB of random data in 1 MiB chunks");
        Assert.That(Path.GetFileName(chunks[0]), Is.EqualTo($"{_scratch.Source.SetName}.tar.zst.000"));
        var restored = _scratch.NewDirectory("restored");

        // docs/backup.md, "Restoring by hand".
        ExternalTool.Require("zstd", "zstd");
        ExternalTool.RunOk("sh", "dash", ["-ec",
            "cat \"$0\"/sets/\"$1\".tar.zst.* | zstd -dc | tar -x --xattrs --xattrs-include='*' --acls --numeric-owner -C \"$2\"",
            backup, _scratch.Source.SetName, restored]);

        Assert.That(TreeSnapshot.Of(restored), Is.EqualTo(TreeSnapshot.Of(_scratch.Source.MountPoint)));
        var blocks = long.Parse(ExternalTool.RunOk("stat", "coreutils", ["-c", "%b", Path.Combine(restored, "sparse.img")]).Trim());
        Assert.That(blocks * 512, Is.LessThan(1 << 20), "the 64 MiB sparse file is restored sparse");
    }

    [Test]
    public void RescuekitExtract_RestoresTheSameTree_AndVerifyAndCompareAgree()
    {
        BuildTree();
        var backup = BackupScratch.BackupDirectory(_scratch.Backup("--compression", "gzip", "--chunk-size", "1M"));
        var restored = _scratch.NewDirectory("restored");

        var verify = Rescuekit.Run("verify", backup);
        var extract = Rescuekit.Run("extract", backup, "--to", restored, "--progress");
        var same = Rescuekit.Run("compare", backup);

        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Stderr + verify.Stdout);
        Assert.That(verify.Stdout, Does.StartWith("OK "));
        Assert.That(extract.ExitCode, Is.EqualTo(0), extract.Stderr);
        // --progress (what nuke's extract steps pass): at least the closing line, with every stored byte read.
        var stored = BackupScratch.Chunks(backup).Sum(c => new FileInfo(c).Length);
        Assert.That(extract.Stdout, Does.Match($@"{_scratch.Source.SetName}: \S+ \S+ of \S+ \S+ \(100 %\), \S+ \S+/s\n"));
        Assert.That(stored, Is.GreaterThan(1 << 20), "more than one 1M chunk, so the count spans chunks");
        Assert.That(TreeSnapshot.Of(restored), Is.EqualTo(TreeSnapshot.Of(_scratch.Source.MountPoint)));
        Assert.That(same.ExitCode, Is.EqualTo(0), same.Stdout + same.Stderr);

        _scratch.Source.Shell("printf 'changed\\n' > etc/hello.txt; rm empty; touch added");
        var differs = Rescuekit.Run("compare", backup);

        Assert.That(differs.ExitCode, Is.EqualTo(1), differs.Stderr);
        Assert.That(differs.Stdout, Does.Contain("changed etc/hello.txt: size 6 -> 8"));
        Assert.That(differs.Stdout, Does.Contain("removed empty"));
        Assert.That(differs.Stdout, Does.Contain("added added"));
        var restoredCompare = Rescuekit.Run("compare", backup, "--root", restored);
        Assert.That(restoredCompare.ExitCode, Is.EqualTo(0), restoredCompare.Stdout);
    }

    [Test]
    public void AnIncrementalChain_ArchivesOnlyWhatChanged_AndRestoresExactlyTheLaterTree()
    {
        BuildTree();
        var full = BackupScratch.BackupDirectory(_scratch.Backup());
        _scratch.Source.Shell("""
            printf 'new content\n' > setuid
            rm random.bin hardlink.bin
            rm -r empty-dir
            rm empty && mkdir empty && printf 'was a file, now a directory' > empty/inside
            printf 'fresh' > etc/deep/fresh.txt
            """);
        var first = BackupScratch.BackupDirectory(_scratch.Backup("--since", full));
        _scratch.Source.Shell("rm etc/deep/fresh.txt; printf again > again.txt");
        var second = BackupScratch.BackupDirectory(_scratch.Backup("--since", first));
        var restored = _scratch.NewDirectory("restored");

        var extract = Rescuekit.Run("extract", second, "--to", restored);

        Assert.That(extract.ExitCode, Is.EqualTo(0), extract.Stderr);
        Assert.That(TreeSnapshot.Of(restored), Is.EqualTo(TreeSnapshot.Of(_scratch.Source.MountPoint)));
        var set = BackupScratch.Manifest(second).GetProperty("sets")[0];
        Assert.That(BackupScratch.Manifest(second).GetProperty("kind").GetString(), Is.EqualTo("incremental"));
        var archivedFiles = ExternalTool.RunOk("zstd", "zstd", ["-dc", Path.Combine(second, "catalog.jsonl.zst")])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("archived", out _) && e.GetProperty("type").GetString() != "dir")
            .Select(e => e.GetProperty("path").GetString());
        Assert.That(archivedFiles, Is.EqualTo(new[] { "again.txt" }), "unchanged files are not archived again; directories always are");
        Assert.That(set.GetProperty("contentBytes").GetInt64(), Is.EqualTo(5), "only again.txt's 5 bytes");
        Assert.That(BackupScratch.Manifest(first).GetProperty("sets")[0].GetProperty("deletedEntries").GetInt64(), Is.GreaterThanOrEqualTo(4),
            "random.bin, hardlink.bin, empty-dir and empty (a file that became a directory)");
        Assert.That(Rescuekit.Run("verify", second).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void AnEncryptedBackup_VerifiesAndExtractsWithItsKey_AndAWrongKeyIsOneClearError()
    {
        BuildTree();
        var key = Path.Combine(_scratch.Directory, "key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var wrongKey = Path.Combine(_scratch.Directory, "wrong");
        File.WriteAllBytes(wrongKey, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var backup = BackupScratch.BackupDirectory(_scratch.Backup("--encrypt", "--key-file", key, "--chunk-size", "1M"));
        var restored = _scratch.NewDirectory("restored");
        var refused = _scratch.NewDirectory("refused");

        var noKey = Rescuekit.Run("verify", backup);
        var passphrase = Rescuekit.Run("verify", backup, "--passphrase-file", key);
        var wrong = Rescuekit.Run("extract", backup, "--to", refused, "--key-file", wrongKey);
        var verify = Rescuekit.Run("verify", backup, "--key-file", key);
        var extract = Rescuekit.Run("extract", backup, "--to", restored, "--key-file", key);

        BadInputTests.AssertOneLineError(noKey, ExitCodes.BadInput, "encrypted with a key file", "--key-file");
        BadInputTests.AssertOneLineError(passphrase, ExitCodes.BadInput, "encrypted with a key file, not a passphrase: pass --key-file FILE");
        BadInputTests.AssertOneLineError(wrong, ExitCodes.BadInput, $"the key in {wrongKey} is not the key of backup");
        Assert.That(Directory.EnumerateFileSystemEntries(refused), Is.Empty, "a wrong key writes nothing");
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Stdout + verify.Stderr);
        Assert.That(extract.ExitCode, Is.EqualTo(0), extract.Stderr);
        Assert.That(TreeSnapshot.Of(restored), Is.EqualTo(TreeSnapshot.Of(_scratch.Source.MountPoint)));
    }
}
