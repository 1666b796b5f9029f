namespace RescueKit.Cli.Tests;

/// <summary>--keep and the config file's target, on a real loop-mounted filesystem.</summary>
public class BackupRetentionTests
{
    private BackupScratch _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = new BackupScratch("64M");

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    [Test]
    public void Keep_PrunesTheOldestBackupsOnlyAfterTheNewOneIsPublished_AndNeverABaseOfAKeptIncremental()
    {
        _scratch.Source.Shell("printf one > f");
        var first = BackupScratch.BackupDirectory(_scratch.Backup());
        var second = BackupScratch.BackupDirectory(_scratch.Backup());
        _scratch.Source.Shell("printf two > f");
        var incremental = BackupScratch.BackupDirectory(_scratch.Backup("--since", second));
        var fourth = BackupScratch.BackupDirectory(_scratch.Backup("--keep", "2"));

        Assert.That(_scratch.Backups(), Is.EqualTo(new[] { second, incremental, fourth }),
            "the two newest are kept, and the full backup the kept incremental builds on");
        Assert.That(Directory.Exists(first), Is.False);
    }

    [Test]
    public void TheConfigFilesTarget_IsUsedWhenThereIsNoTo()
    {
        var config = Path.Combine(_scratch.Directory, "rescuekit.yaml");
        File.WriteAllText(config, $"target: {_scratch.Target}\ncompression: gzip\nexcludes:\n  - '*.skip'\n");
        _scratch.Source.Shell("printf keep > keep.txt; printf no > left-out.skip");

        var r = Rescuekit.Run("backup", "--device", _scratch.Source.Device, "--config", config);

        var backup = BackupScratch.BackupDirectory(r);
        Assert.That(backup, Does.StartWith(_scratch.Target));
        Assert.That(BackupScratch.Chunks(backup)[0], Does.EndWith(".tar.gz.000"));
        var listing = RescueKit.Tests.Shared.ExternalTool.RunOk("sh", "dash", ["-c", "cat \"$0\" | gzip -dc | tar -t", BackupScratch.Chunks(backup)[0]]);
        Assert.That(listing, Does.Contain("keep.txt"));
        Assert.That(listing, Does.Not.Contain("left-out.skip"));
    }
}
