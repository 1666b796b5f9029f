using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// A backup read straight from `rescuekit serve --backups` on 127.0.0.1 (issue 11), by the published binary as a user
/// or the restore plan runs it: verify, restore --dry-run, extract and restore --files-only take the http:// URL; a
/// corrupted chunk fails them naming it, and a URL with no backup is bad input.
/// </summary>
[NonParallelizable]
public class RestoreOverHttpTests
{
    private BackupScratch _scratch = null!;
    private string _backup = null!;
    private RescuekitServe _serve = null!;
    private string _url = null!;

    [SetUp]
    public void SetUp()
    {
        _scratch = new BackupScratch("64M");
        _scratch.Source.Shell("mkdir -p etc && printf 'kept\\n' > etc/marker && head -c 3000000 /dev/urandom > random.bin");
        _backup = BackupScratch.BackupDirectory(_scratch.Backup("--compression", "none", "--chunk-size", "1M"));
        var relative = Path.GetRelativePath(_scratch.Target, _backup).Replace('\\', '/');
        var root = _scratch.NewDirectory("pxe");
        _serve = RescuekitServe.Start(Rescuekit.Binary, root, _scratch.Target, $"/backups/{relative}/manifest.json");
        _url = $"http://127.0.0.1:{_serve.Port}/backups/{relative}/";
    }

    [TearDown]
    public void TearDown()
    {
        _serve.Dispose();
        _scratch.Dispose();
    }

    [Test]
    public void VerifyDryRunExtractAndFilesOnly_ReadTheBackupFromTheServer()
    {
        var verify = Rescuekit.Run("verify", _url);
        Assert.That(verify.ExitCode, Is.EqualTo(ExitCodes.Ok), verify.Stderr);
        Assert.That(verify.Stdout, Does.Contain($"OK   {_url}: 1 sets"));

        var size = new FileInfo(_scratch.Source.Image).Length >> 20;
        var disks = RestoreDryRunTests.DisksFile(_scratch.Directory, $"vdz {size}");
        var plan = Rescuekit.Run("restore", "--dry-run", "--backup", _url, "--disks", disks, "--out", Path.Combine(_scratch.Directory, "plan"));
        Assert.That(plan.ExitCode, Is.EqualTo(ExitCodes.Ok), plan.Stderr);
        Assert.That(File.ReadAllText(Path.Combine(_scratch.Directory, "plan", "restore-plan.json")),
            Does.Contain($"\"extract\",\n        \"{_url}\",\n        \"--set\""), "the plan's extract step reads the backup from the server");

        var extracted = Path.Combine(_scratch.Directory, "extracted");
        var extract = Rescuekit.Run("extract", _url, "--set", _scratch.Source.SetName, "--to", extracted);
        Assert.That(extract.ExitCode, Is.EqualTo(ExitCodes.Ok), extract.Stderr);
        var restored = Path.Combine(_scratch.Directory, "restored");
        var filesOnly = Rescuekit.Run("restore", "--files-only", "--backup", _url, "--to", restored);
        Assert.That(filesOnly.ExitCode, Is.EqualTo(ExitCodes.Ok), filesOnly.Stderr);

        foreach (var tree in new[] { extracted, Path.Join(restored, _scratch.Source.MountPoint) })
        {
            Assert.That(File.ReadAllText(Path.Combine(tree, "etc", "marker")), Is.EqualTo("kept\n"));
            Assert.That(File.ReadAllBytes(Path.Combine(tree, "random.bin")), Is.EqualTo(File.ReadAllBytes(Path.Combine(_scratch.Source.MountPoint, "random.bin"))));
        }
    }

    [Test]
    public void TheInteractiveStartPage_DescribesTheServedBackup_AndRestoresFilesPickedFromIt()
    {
        var to = Path.Combine(_scratch.Directory, "picked");
        using var tty = new TmuxTerminal("linux", $"{Rescuekit.Binary} restore --mode interactive --backup {_url}");
        var start = tty.WaitFor("5  Restore some files");
        Assert.That(start, Does.Contain("Backup of ").And.Contain("At " + _url[..40]), "the start page reads the backup over HTTP");
        InteractiveScreensTests.RestoreOneFile(tty, $"{_scratch.Source.MountPoint}/etc/marker", to);
        InteractiveScreensTests.LeaveFromTheStartPage(tty);

        Assert.That(File.ReadAllText(Path.Join(to, _scratch.Source.MountPoint, "etc", "marker")), Is.EqualTo("kept\n"));
        Assert.That(File.Exists(Path.Join(to, _scratch.Source.MountPoint, "random.bin")), Is.False);
    }

    [Test]
    public void ACorruptedChunkOnTheServer_FailsNamingIt_AndAUrlWithNoBackupIsBadInput()
    {
        var chunks = BackupScratch.Chunks(_backup);
        Assert.That(chunks, Has.Count.GreaterThanOrEqualTo(3));
        var bytes = File.ReadAllBytes(chunks[1]);
        bytes[bytes.Length / 3] ^= 0x01;
        File.WriteAllBytes(chunks[1], bytes);
        var chunk = Path.GetRelativePath(_backup, chunks[1]);

        var verify = Rescuekit.Run("verify", _url);
        var restored = Path.Combine(_scratch.Directory, "restored");
        var filesOnly = Rescuekit.Run("restore", "--files-only", "--backup", _url, "--to", restored);
        var missing = Rescuekit.Run("verify", _url.Replace(Path.GetFileName(_backup), "2020-01-01T000000Z"));

        Assert.That(verify.ExitCode, Is.EqualTo(ExitCodes.CheckFailed), verify.Stderr);
        Assert.That(verify.Stdout, Does.Contain($"BAD  chunk {chunk} has the wrong SHA-256 (corrupted)"));
        BadInputTests.AssertOneLineError(filesOnly, ExitCodes.CheckFailed, $"chunk {chunk} has the wrong SHA-256", $"rescuekit verify {_url}");
        BadInputTests.AssertOneLineError(missing, ExitCodes.BadInput, "no backup there", "404", "rescuekit serve --backups DIR");
    }
}
