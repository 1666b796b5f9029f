using RescueKit.Boot.Tests.Harness;
using RescueKit.Cli.Tests;

namespace RescueKit.Boot.Tests;

/// <summary>
/// `rescuekit layout save`, `backup` and `verify` as a Debian 13 host runs them: chrooted in the trixie root, on a small
/// ext4 filesystem loop-mounted inside it and named with --device, so that what else this machine has mounted does
/// not enter the backup.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class Debian13BackupTests
{
    [Test]
    public void LayoutSave_Backup_AndVerify_RunInTheRoot()
    {
        var root = DebianRoot.Trixie;
        var scratch = $"/var/tmp/rk-deb13-backup-{Guid.NewGuid():N}";
        var hostScratch = Directory.CreateDirectory(root.HostPath(scratch)).FullName;
        try
        {
            using var source = new LoopFilesystem(hostScratch, "64M");
            source.Shell("""
                mkdir -p etc/deep
                printf 'hello\n' > etc/hello.txt
                head -c 2000000 /dev/urandom > random.bin
                ln -s etc/hello.txt link-to-hello
                """);
            File.WriteAllText(Path.Combine(hostScratch, "empty.yaml"), "");

            var layout = root.Run(["rescuekit", "layout", "save", "--out", $"{scratch}/layout.json", "--device", source.Device]);
            Assert.That(layout.ExitCode, Is.EqualTo(0), layout.Stderr + layout.Stdout);
            Assert.That(layout.Stdout, Does.Contain($"Layout saved: {scratch}/layout.json"));
            Assert.That(File.ReadAllText(Path.Combine(hostScratch, "layout.json")), Does.Contain("\"ext4\""));

            // An empty config file: the root's /etc/rescuekit must not change what the test does.
            var backup = root.Run(["rescuekit", "backup", "--device", source.Device, "--to", $"{scratch}/target",
                "--config", $"{scratch}/empty.yaml"]);
            Assert.That(backup.ExitCode, Is.EqualTo(0), backup.Stderr + backup.Stdout);
            var line = backup.Stdout.Split('\n').Single(l => l.StartsWith("Backup: ", StringComparison.Ordinal));
            var backupDir = line["Backup: ".Length..line.IndexOf(" (", StringComparison.Ordinal)];
            Assert.That(backupDir, Does.StartWith($"{scratch}/target/"));

            var verify = root.Run(["rescuekit", "verify", backupDir]);
            Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Stderr + verify.Stdout);
            Assert.That(verify.Stdout, Does.StartWith("OK "));
        }
        finally
        {
            Directory.Delete(hostScratch, recursive: true);
        }
    }
}
