using RescueKit.Core;

namespace RescueKit.Cli.Tests;

/// <summary>Bad options of backup, verify, extract and compare: one clear line, exit code 4, nothing written.</summary>
public class BackupBadInputTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("rk-backup-bad-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private Rescuekit.Result Backup(params string[] args) =>
        Rescuekit.Run(["backup", "--to", Path.Combine(_dir, "target"), "--config", Config(""), .. args]);

    private string Config(string yaml)
    {
        var path = Path.Combine(_dir, $"config-{yaml.GetHashCode():x}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [TestCase("12Q")]
    [TestCase("-5M")]
    [TestCase("0")]
    public void AChunkSizeThatIsNotASize_IsRefused(string size)
    {
        var r = Backup("--chunk-size", size);

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, $"--chunk-size '{size}' is not a size", "64M");
        Assert.That(Directory.Exists(Path.Combine(_dir, "target")), Is.False);
    }

    [Test]
    public void AChunkSizeBelowOneMebibyte_IsRefused() =>
        BadInputTests.AssertOneLineError(Backup("--chunk-size", "100K"), ExitCodes.BadInput, "below the minimum of 1M");

    [Test]
    public void ADeviceThatDoesNotExist_IsRefusedNamingTheOption()
    {
        BadInputTests.AssertOneLineError(Backup("--device", "/dev/rk-no-such-disk"), ExitCodes.BadInput,
            "--device '/dev/rk-no-such-disk' does not exist");
        Assert.That(Directory.Exists(Path.Combine(_dir, "target")), Is.False);
    }

    [Test]
    public void AnUnknownCompression_AndALevelOutOfRange_AreRefused()
    {
        BadInputTests.AssertOneLineError(Backup("--compression", "lz4"), ExitCodes.BadInput, "--compression 'lz4'", "zstd, gzip or none");
        BadInputTests.AssertOneLineError(Backup("--level", "30"), ExitCodes.BadInput, "--level 30", "1 to 19");
    }

    [Test]
    public void EncryptWithoutAKey_AndAKeyFileOfTheWrongLength_AreRefused()
    {
        var shortKey = Path.Combine(_dir, "short");
        File.WriteAllBytes(shortKey, new byte[16]);

        BadInputTests.AssertOneLineError(Backup("--encrypt"), ExitCodes.BadInput, "--encrypt needs --key-file");
        BadInputTests.AssertOneLineError(Backup("--encrypt", "--key-file", shortKey), ExitCodes.BadInput, "holds 16 bytes", "exactly 32");
    }

    [Test]
    public void AConfigFileWithAnUnknownKey_IsRefusedNamingTheKeyAndLine()
    {
        var r = Rescuekit.Run("backup", "--config", Config("target: /srv/backups\ncompresion: zstd\n"));

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "line 2", "unknown setting 'compresion'");
    }

    [Test]
    public void AConfigFileSetting_IsUsed_AndTheCommandLineWinsOverIt()
    {
        var config = Config("compression: brotli\nchunkSize: 2M\n");

        var fromConfig = Rescuekit.Run("backup", "--to", Path.Combine(_dir, "t"), "--config", config);
        var overridden = Rescuekit.Run("backup", "--to", Path.Combine(_dir, "t"), "--config", config, "--compression", "none", "--chunk-size", "7Z");

        BadInputTests.AssertOneLineError(fromConfig, ExitCodes.BadInput, "--compression 'brotli'");
        BadInputTests.AssertOneLineError(overridden, ExitCodes.BadInput, "--chunk-size '7Z'");
    }

    [Test]
    public void VerifyOfADirectoryThatIsNotABackup_SaysSo()
    {
        var notABackup = Directory.CreateDirectory(Path.Combine(_dir, ".20260101T000000Z.partial")).FullName;

        BadInputTests.AssertOneLineError(Rescuekit.Run("verify", notABackup), ExitCodes.BadInput, "is not a complete backup", "manifest.json");
        BadInputTests.AssertOneLineError(Rescuekit.Run("verify", Path.Combine(_dir, "nope")), ExitCodes.BadInput, "does not exist");
    }
}
