using RescueKit.Core;

namespace RescueKit.Cli.Tests;

/// <summary>`rescuekit restore --files-only`: a backup's sets into a directory, each under its mount point.</summary>
public class RestoreFilesOnlyTests
{
    [Test]
    public void EverySet_LandsUnderItsMountPoint_WithItsXattrsAndOwners()
    {
        using var scratch = new BackupScratch("64M");
        scratch.Source.Shell("mkdir -p etc && printf 'kept\\n' > etc/marker && chown 1234:5678 etc/marker && setfattr -n user.note -v yes etc/marker");
        var backup = BackupScratch.BackupDirectory(scratch.Backup());
        var to = Path.Combine(scratch.Directory, "restored");

        var r = Rescuekit.Run("restore", "--files-only", "--backup", backup, "--to", to);

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Stderr);
        var marker = Path.Join(to, scratch.Source.MountPoint, "etc", "marker");
        Assert.That(File.ReadAllText(marker), Is.EqualTo("kept\n"));
        Assert.That(RescueKit.Tests.Shared.ExternalTool.RunOk("stat", "coreutils", ["-c", "%u:%g", marker]).Trim(), Is.EqualTo("1234:5678"));
        Assert.That(RescueKit.Tests.Shared.ExternalTool.RunOk("getfattr", "attr", ["--only-values", "-n", "user.note", marker]), Is.EqualTo("yes"));
        Assert.That(r.Stdout, Does.Contain($"Extracted set {scratch.Source.SetName} ({scratch.Source.MountPoint})"));
    }

    /// <summary>
    /// A backup whose archive was tampered with (a member named ../escape.txt before a plain one, as GNU tar -P writes
    /// it, the manifest's hash updated to match): the escaping member is refused and reported, nothing lands outside
    /// the target, the rest is restored, and the exit code says "completed with warnings".
    /// </summary>
    [Test]
    public void ATarSlipMember_IsRefusedAndReported_AndTheRestIsRestored()
    {
        using var scratch = new BackupScratch("64M");
        var backup = BackupScratch.BackupDirectory(scratch.Backup("--compression", "none"));
        var made = scratch.NewDirectory("made");
        File.WriteAllText(Path.Combine(made, "escape.txt"), "evil\n");
        File.WriteAllText(Path.Combine(made, "keep.txt"), "kept\n");
        var chunk = BackupScratch.Chunks(backup).Single();
        RescueKit.Tests.Shared.ExternalTool.RunOk("tar", "tar", ["-cf", chunk, "-P", "--transform", "s,^,../,", "-C", made, "escape.txt"]);
        RescueKit.Tests.Shared.ExternalTool.RunOk("tar", "tar", ["-rf", chunk, "-C", made, "keep.txt"]);
        var manifestPath = Path.Combine(backup, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var entry = manifest["sets"]![0]!["chunks"]![0]!;
        entry["size"] = new FileInfo(chunk).Length;
        entry["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(chunk)));
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var to = Path.Combine(scratch.Directory, "deep", "restored");

        var r = Rescuekit.Run("restore", "--files-only", "--backup", backup, "--to", to);

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.CompletedWithWarnings), r.Stderr + r.Stdout);
        Assert.That(r.Stderr, Does.Contain("archive member '../escape.txt' has a '..' in its path: refused"));
        var setDirectory = Path.Join(to, scratch.Source.MountPoint);
        Assert.That(File.ReadAllText(Path.Combine(setDirectory, "keep.txt")), Is.EqualTo("kept\n"), "the rest was restored");
        Assert.That(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(setDirectory)!), Is.EqualTo(new[] { setDirectory }),
            "nothing was written beside the set's directory");
    }

    [Test]
    public void Include_RestoresOnlyTheMatchingFiles_AndTheDirectoriesAboveThemWithTheirModes()
    {
        using var scratch = new BackupScratch("64M");
        scratch.Source.Shell("mkdir -p etc/ssh other && chmod 0751 etc && printf 'pub\\n' > etc/ssh/host.pub && printf 'secret\\n' > etc/ssh/host && printf 'x\\n' > other/file");
        var backup = BackupScratch.BackupDirectory(scratch.Backup());
        var to = Path.Combine(scratch.Directory, "restored");

        var r = Rescuekit.Run("restore", "--files-only", "--backup", backup, "--to", to, "--include", $"{scratch.Source.MountPoint}/etc/ssh/*.pub");

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Stderr);
        var set = Path.Join(to, scratch.Source.MountPoint);
        Assert.That(File.ReadAllText(Path.Combine(set, "etc", "ssh", "host.pub")), Is.EqualTo("pub\n"));
        Assert.That(File.Exists(Path.Combine(set, "etc", "ssh", "host")), Is.False);
        Assert.That(Directory.Exists(Path.Combine(set, "other")), Is.False);
        Assert.That(File.GetUnixFileMode(Path.Combine(set, "etc")), Is.EqualTo((UnixFileMode)0b111_101_001), "etc kept its mode 0751");
    }

    [Test]
    public void AnUnknownSet_IsRefused_NamingTheSetsThereAre()
    {
        using var scratch = new BackupScratch("64M");
        var backup = BackupScratch.BackupDirectory(scratch.Backup());

        var r = Rescuekit.Run("restore", "--files-only", "--backup", backup, "--to", Path.Combine(scratch.Directory, "out"), "--set", "nope");

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "has no set 'nope'", scratch.Source.SetName);
        Assert.That(Directory.Exists(Path.Combine(scratch.Directory, "out")), Is.False, "nothing was made for a refused request");
    }

    [Test]
    public void NoTarget_IsRefused()
    {
        var r = Rescuekit.Run("restore", "--files-only", "--backup", "/nonexistent");

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "--files-only needs the directory to extract into");
    }

    [Test]
    public void NukeWithNoPart_IsRefused_RatherThanPartitioningAnyway()
    {
        var r = Rescuekit.Run("restore", "--mode", "nuke", "--no-part", "--unattended");

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "--no-part (rk.nopart) is not supported by nuke yet");
    }
}
