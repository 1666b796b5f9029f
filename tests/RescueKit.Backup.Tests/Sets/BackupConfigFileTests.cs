using RescueKit.Backup.Sets;
using RescueKit.Core;

namespace RescueKit.Backup.Tests.Sets;

public class BackupConfigFileTests
{
    private string _file = null!;

    [SetUp]
    public void Create() => _file = Path.GetTempFileName();

    [TearDown]
    public void Remove() => File.Delete(_file);

    [Test]
    public void EveryKey_IsRead()
    {
        File.WriteAllText(_file, """
            # /etc/rescuekit/rescuekit.yaml
            target: /srv/backups
            compression: gzip
            level: 9
            chunkSize: 4.7G
            excludes:
              - /var/cache/*
              - '*.swp'
            keep: 7
            """);

        var config = BackupConfigFile.Load(_file, explicitlyGiven: true);

        Assert.That((config.Target, config.Compression, config.Level, config.ChunkSize, config.Keep),
            Is.EqualTo(("/srv/backups", "gzip", 9, "4.7G", 7)));
        Assert.That(config.Excludes, Is.EqualTo(new[] { "/var/cache/*", "*.swp" }));
    }

    [Test]
    public void AMissingDefaultFile_IsNoSettings_ButAMissingGivenFileIsAnError()
    {
        File.Delete(_file);

        Assert.That(BackupConfigFile.Load(_file, explicitlyGiven: false), Is.EqualTo(new BackupConfig()));
        Assert.That(Assert.Throws<BadInputException>(() => BackupConfigFile.Load(_file, explicitlyGiven: true))!.Message,
            Does.Contain("does not exist"));
    }

    [TestCase("keep: seven\n", "line 1: 'keep' must be a whole number")]
    [TestCase("target: /x\nexcludes: /var/cache\n", "line 2: 'excludes' must be a list")]
    [TestCase("target: [a, b]\n", "'target' must be a single value")]
    [TestCase("- just\n- a list\n", "must be a mapping")]
    [TestCase("target: /x\nretention: 3\n", "line 2: unknown setting 'retention'")]
    [TestCase("target: 'unclosed\n", "is not valid YAML")]
    public void AWrongSetting_IsABadInputNamingFileLineAndKey(string yaml, string message)
    {
        File.WriteAllText(_file, yaml);

        var e = Assert.Throws<BadInputException>(() => BackupConfigFile.Load(_file, explicitlyGiven: true));

        Assert.That(e!.Message, Does.StartWith(_file).Or.Contain(_file));
        Assert.That(e.Message, Does.Contain(message));
    }
}
