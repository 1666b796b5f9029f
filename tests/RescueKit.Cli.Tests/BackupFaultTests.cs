using System.Diagnostics;
using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>Bad input and faults of issue 3: a full or unwritable target, bad chunks, SIGKILL, unreadable files.</summary>
public class BackupFaultTests
{
    private BackupScratch _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = new BackupScratch();

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    private void RandomFile(string name, int mebibytes) =>
        _scratch.Source.Shell($"head -c {mebibytes}M /dev/urandom > {name}");

    [Test]
    public void AFullTarget_FailsClearly_AndLeavesThePreviousBackupUntouched()
    {
        ExternalTool.RunOk("mount", "mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", _scratch.Target]);
        RandomFile("small.bin", 1);
        var previous = BackupScratch.BackupDirectory(_scratch.Backup());
        RandomFile("big.bin", 20);

        var r = _scratch.Backup();

        BadInputTests.AssertOneLineError(r, ExitCodes.Failed, "backup target is full", "earlier backups are untouched");
        Assert.That(_scratch.Backups(), Is.EqualTo(new[] { previous }));
        Assert.That(BackupScratch.Find(Path.GetDirectoryName(previous)!, "-maxdepth", "1", "-type", "d"), Is.EqualTo(new[] { previous }),
            "no partial directory is left");
        Assert.That(Rescuekit.Run("verify", previous).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void AReadOnlyTarget_IsRefusedAsBadInput()
    {
        ExternalTool.RunOk("mount", "mount", ["-t", "tmpfs", "-o", "size=8m,ro", "tmpfs", _scratch.Target]);

        var r = _scratch.Backup();

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "cannot write to the backup target", "read-only file system");
    }

    [Test]
    public void Verify_NamesTheCorruptedTheTruncatedAndTheMissingChunk()
    {
        RandomFile("random.bin", 5);
        var backup = BackupScratch.BackupDirectory(_scratch.Backup("--chunk-size", "1M", "--compression", "none"));
        var chunks = BackupScratch.Chunks(backup);
        Assert.That(chunks, Has.Count.GreaterThanOrEqualTo(5));
        var copies = new[] { "corrupted", "truncated", "missing" }.ToDictionary(k => k, k =>
        {
            var copy = Path.Combine(_scratch.Directory, k);
            ExternalTool.RunOk("cp", "coreutils", ["-a", backup, copy]);
            return copy;
        });
        string Chunk(string copy, int index) => Path.Combine(copy, "sets", Path.GetFileName(chunks[index]));
        using (var f = new FileStream(Chunk(copies["corrupted"], 2), FileMode.Open))
        {
            f.Position = 1000;
            var b = f.ReadByte();
            f.Position = 1000;
            f.WriteByte((byte)(b ^ 0x40));
        }
        using (var f = new FileStream(Chunk(copies["truncated"], 3), FileMode.Open)) f.SetLength(f.Length / 2);
        File.Delete(Chunk(copies["missing"], 1));

        var corrupted = Rescuekit.Run("verify", copies["corrupted"]);
        var truncated = Rescuekit.Run("verify", copies["truncated"]);
        var missing = Rescuekit.Run("verify", copies["missing"]);

        var name = (int i) => $"sets/{Path.GetFileName(chunks[i])}";
        Assert.That(corrupted.ExitCode, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(corrupted.Stdout, Does.Contain($"chunk {name(2)} has the wrong SHA-256"));
        Assert.That(truncated.ExitCode, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(truncated.Stdout, Does.Contain($"chunk {name(3)} is truncated"));
        Assert.That(missing.ExitCode, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(missing.Stdout, Does.Contain($"chunk {name(1)} is missing"));
        foreach (var r in new[] { corrupted, truncated, missing })
            Assert.That(r.Stdout.Split('\n').Count(l => l.StartsWith("BAD ", StringComparison.Ordinal)), Is.EqualTo(1), r.Stdout);
    }

    [Test]
    public void ACorruptedEncryptedChunk_IsNamedByVerify()
    {
        RandomFile("random.bin", 3);
        var pass = Path.Combine(_scratch.Directory, "pass");
        File.WriteAllText(pass, "a long passphrase\n");
        var backup = BackupScratch.BackupDirectory(_scratch.Backup("--chunk-size", "1M", "--encrypt", "--passphrase-file", pass));
        var chunk = BackupScratch.Chunks(backup)[1];
        var bytes = File.ReadAllBytes(chunk);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(chunk, bytes);

        var r = Rescuekit.Run("verify", backup, "--passphrase-file", pass);

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.CheckFailed), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain($"chunk sets/{Path.GetFileName(chunk)}"));
    }

    [TestCase(200, TestName = "SigkillAfter200ms_LeavesThePreviousBackupValidAndNoNewOne")]
    [TestCase(1000, TestName = "SigkillAfter1s_LeavesThePreviousBackupValidAndNoNewOne")]
    [TestCase(-1, TestName = "SigkillMidChunk_LeavesThePreviousBackupValidAndNoNewOne")]
    public void KillingTheBackup_LeavesThePreviousBackupValid(int afterMilliseconds)
    {
        RandomFile("small.bin", 1);
        var previous = BackupScratch.BackupDirectory(_scratch.Backup());
        RandomFile("big.bin", 96);
        var psi = new ProcessStartInfo(Rescuekit.Binary)
        {
            ArgumentList = { "backup", "--device", _scratch.Source.Device, "--to", _scratch.Target, "--config", _scratch.NoConfig,
                             "--compression", "gzip", "--chunk-size", "4M" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var hostDirectory = Path.GetDirectoryName(previous)!;
        if (afterMilliseconds >= 0)
        {
            Thread.Sleep(afterMilliseconds);
        }
        else
        {
            // Mid-chunk: once the second chunk file exists, it is being written.
            var deadline = Stopwatch.StartNew();
            while (BackupScratch.Find(hostDirectory, "-name", "*.tar.gz.001").Count == 0)
            {
                if (p.HasExited) Assert.Fail("the backup ended before its second chunk: " + p.StandardError.ReadToEnd());
                Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)));
                Thread.Sleep(20);
            }
        }
        if (p.HasExited) Assert.Fail($"the backup must still be running when it is killed; it ended with {p.ExitCode}: {p.StandardError.ReadToEnd()}");
        p.Kill(); // SIGKILL
        p.WaitForExit();

        Assert.That(_scratch.Backups(), Is.EqualTo(new[] { previous }), "no new backup is visible");
        Assert.That(Rescuekit.Run("verify", previous).ExitCode, Is.EqualTo(0));
        var next = _scratch.Backup("--compression", "none");
        Assert.That(next.ExitCode, Is.EqualTo(0), next.Stderr);
        Assert.That(BackupScratch.Find(hostDirectory, "-maxdepth", "1", "-name", ".*", "-type", "d"), Is.Empty,
            "the next backup removes what the killed one left");
    }

    [Test]
    public void AnUnreadableFile_IsWarnedAndListed_AndTheBackupCompletesWithExitCode6()
    {
        _scratch.Source.Shell("printf secret > unreadable && chown 4242 unreadable && chmod 000 unreadable && printf ok > readable");
        ExternalTool.Require("setpriv", "util-linux");

        // Root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH cannot read a mode-000 file it does not own.
        var r = ExternalTool.Run("setpriv", "util-linux", ["--bounding-set", "-dac_override,-dac_read_search", "--inh-caps", "-dac_override,-dac_read_search",
            Rescuekit.Binary, "backup", "--device", _scratch.Source.Device, "--to", _scratch.Target, "--config", _scratch.NoConfig]);

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.CompletedWithWarnings), r.Stderr + r.Stdout);
        var backup = _scratch.Backups().Single();
        var warnings = BackupScratch.Manifest(backup).GetProperty("warnings").EnumerateArray().ToList();
        Assert.That(warnings.Select(w => w.GetProperty("path").GetString()), Has.Some.EndsWith("/unreadable"));
        Assert.That(r.Stdout, Does.Contain("unreadable"));
        Assert.That(Rescuekit.Run("verify", backup).ExitCode, Is.EqualTo(0));
    }
}
