using RescueKit.Core;

namespace RescueKit.Cli.Tests;

/// <summary>
/// NFS targets as far as the build machine can take them: bad URLs (from --to, the config file and --since) and a
/// kernel without an NFS client. Mounting and writing are tested in the VM lab (Boot.Tests NfsBackupVmTests).
/// </summary>
public class BackupNfsTests
{
    private const string MountRoot = "/run/rescuekit";
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("rk-backup-nfs-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string Config(string yaml)
    {
        var path = Path.Combine(_dir, "rescuekit.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string[] MountPoints() =>
        Directory.Exists(MountRoot) ? Directory.GetDirectories(MountRoot, "nfs-*") : [];

    [TestCase("nfs://:2049/srv", "names no server")]
    [TestCase("nfs://nas", "names no exported directory")]
    [TestCase("nfs://nas:20x9/srv", "the port '20x9' is not a number from 1 to 65535")]
    public void ABadUrlInTo_IsOneLineAndNothingIsMounted(string url, string problem)
    {
        var before = MountPoints();

        var r = Rescuekit.Run("backup", "--to", url, "--config", Config(""));

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, $"--to {url}: ", problem, "nfs://HOST[:PORT]/EXPORT/PATH");
        Assert.That(MountPoints(), Is.EquivalentTo(before));
    }

    [Test]
    public void ABadUrlInTheConfigFile_NamesTheFile()
    {
        var config = Config("target: nfs:///srv/backups\n");

        var r = Rescuekit.Run("backup", "--config", config);

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, $"the target of {config} nfs:///srv/backups: ", "names no server");
    }

    [Test]
    public void SinceOnAnotherNfsTarget_IsRefusedBeforeAnyWork()
    {
        var r = Rescuekit.Run("backup", "--to", "nfs://nas/srv/sets", "--since", "nfs://other/srv/sets/web1/20261201T000000Z",
            "--config", Config(""));

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "is not a backup on the target nfs://nas/srv/sets", "beside its base");
    }

    [Test]
    public void OnAKernelWithoutAnNfsClient_VerifySaysSoAndLeavesNoMountPoint()
    {
        if (File.ReadAllText("/proc/filesystems").Contains("nfs", StringComparison.Ordinal))
            Assert.Ignore("this kernel has an NFS client; the VM lab tests (NfsBackupVmTests) cover mounting");
        var before = MountPoints();

        // Port 1 on the loopback: no request ever leaves the machine, the kernel refuses the filesystem type first.
        var r = Rescuekit.Run("verify", "nfs://127.0.0.1:1/srv/sets/web1/20261201T000000Z");

        BadInputTests.AssertOneLineError(r, ExitCodes.MissingPrerequisite,
            "cannot mount nfs://127.0.0.1:1/srv/sets/web1: this kernel has no NFS client", "modprobe nfsv4");
        Assert.That(MountPoints(), Is.EquivalentTo(before), "the private mount point is removed again");
    }

    [Test]
    public void AnExportWithoutABackupId_IsNotABackup()
    {
        var r = Rescuekit.Run("compare", "nfs://nas/srv");

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "names an export, not a backup", "nfs://SERVER/PATH/HOST/ID");
    }
}
