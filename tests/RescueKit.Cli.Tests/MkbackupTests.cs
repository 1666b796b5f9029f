using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `rescuekit mkbackup`: a loop-mounted ext4 backed up onto the rescue ISO (one, or a numbered series) or beside it;
/// the backup read back from the ISOs with xorriso verifies with `rescuekit verify`.
/// </summary>
[NonParallelizable]
public class MkbackupTests
{
    private BackupScratch _scratch = null!;
    private string _out = null!;

    [SetUp]
    public void CreateScratch()
    {
        _scratch = new BackupScratch("64M");
        _out = Directory.CreateDirectory(Path.Combine(_scratch.Directory, "out")).FullName;
        // Incompressible, so chunks keep their size on the media.
        _scratch.Source.Shell("mkdir -p data && head -c 6291456 /dev/urandom > data/random.bin && printf hello > data/small.txt");
    }

    [TearDown]
    public void RemoveScratch() => _scratch.Dispose();

    private Rescuekit.Result Mkbackup(params string[] extra) =>
        Rescuekit.Run(["mkbackup", "--device", _scratch.Source.Device, "--out", _out, "--config", _scratch.NoConfig, .. extra]);

    private string[] Isos() => Directory.GetFiles(_out, "rescuekit-*.iso").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Copies /backup of every volume into one directory: the set as the backup wrote it.</summary>
    private string Reassemble(IEnumerable<string> isos)
    {
        var set = Path.Combine(_scratch.Directory, "from-media");
        foreach (var iso in isos)
            ExternalTool.RunOk("xorriso", "xorriso", ["-osirrox", "on", "-indev", iso, "-extract", "/backup", set]);
        return set;
    }

    private static void AssertVerifies(string set)
    {
        var verify = Rescuekit.Run("verify", set);
        Assert.That(verify.ExitCode, Is.Zero, verify.Stdout + verify.Stderr);
    }

    [Test]
    public void OutputIso_PutsTheBackupOnTheRescueIso_AndLeavesNoScratchBehind()
    {
        var r = Mkbackup("--output", "iso");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr + r.Stdout);
        var isos = Isos();
        Assert.That(isos, Has.Length.EqualTo(1), "4.7G holds it all");
        var files = ExternalTool.RunOk("isoinfo", "genisoimage", ["-f", "-R", "-i", isos[0]]);
        Assert.That(files, Does.Contain("/boot/vmlinuz").And.Contain("/backup/manifest.json").And.Contain("/backup/layout.json"));
        Assert.That(files, Does.Contain($"/backup/sets/{_scratch.Source.SetName}.tar.zst.000"));
        Assert.That(Directory.EnumerateFileSystemEntries(_out).Select(Path.GetFileName), Is.EqualTo(new[] { Path.GetFileName(isos[0]) }),
            "only the ISO: the scratch copy of the backup is gone");
        AssertVerifies(Reassemble(isos));
    }

    [Test]
    public void OutputIso_TooLargeForOneMedium_WritesANumberedSeriesThatReassemblesIntoAVerifiedBackup()
    {
        var single = Mkbackup("--output", "dir");
        Assert.That(single.ExitCode, Is.Zero, single.Stderr + single.Stdout);
        var rescueIso = new FileInfo(Isos().Single()).Length;
        Directory.Delete(_out, recursive: true);

        // Room for the rescue system and about 3 MB more: the 6 MB of data in 1 MiB chunks need a second volume.
        var r = Mkbackup("--output", "iso", "--chunk-size", "1M", "--media-size", (rescueIso + 3_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(r.ExitCode, Is.Zero, r.Stderr + r.Stdout);
        var isos = Isos();
        Assert.That(isos.Length, Is.GreaterThanOrEqualTo(2));
        Assert.That(r.Stdout, Does.Contain($"Rescue ISO 1 of {isos.Length}"));
        var volumeTwo = ExternalTool.RunOk("isoinfo", "genisoimage", ["-d", "-i", isos.Single(i => i.EndsWith("-2.iso", StringComparison.Ordinal))]);
        Assert.That(volumeTwo, Does.Contain("Volume id: RESCUEKIT_2"));
        AssertVerifies(Reassemble(isos));

        // A dry run from disc 1 alone plans what nuke runs: the backup read from the copy of its small files, and each
        // extract reading the discs through the index nuke writes once it has found them all.
        var discOne = Path.Combine(_scratch.Directory, "disc-1");
        ExternalTool.RunOk("xorriso", "xorriso", ["-osirrox", "on", "-indev", isos[0], "-extract", "/backup", discOne]);
        var disks = Path.Combine(_scratch.Directory, "disks.json");
        File.WriteAllText(disks, $$"""{"blockdevices":[{"name":"{{Path.GetFileName(_scratch.Source.Device)}}","path":"{{_scratch.Source.Device}}","type":"disk","size":{{64 << 20}}}]}""");
        var plan = Rescuekit.Run("restore", "--dry-run", "--backup", discOne, "--disks", disks, "--out", _scratch.Directory);
        Assert.That(plan.ExitCode, Is.Zero, plan.Stderr + plan.Stdout);
        var json = File.ReadAllText(Path.Combine(_scratch.Directory, "restore-plan.json"));
        Assert.That(json, Does.Contain("\"--discs\"").And.Contain("\"/run/rescuekit/disc-series/discs.json\"").And.Contain("\"/run/rescuekit/disc-series/backup\""));
        Assert.That(json, Does.Contain($"spans {isos.Length} discs"));
    }

    [Test]
    public void OutputDir_WritesTheRescueIsoAndTheBackupSideBySide()
    {
        var r = Mkbackup("--output", "dir");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr + r.Stdout);
        Assert.That(Isos(), Has.Length.EqualTo(1));
        var backup = BackupScratch.BackupDirectory(r);
        Assert.That(backup, Does.StartWith(Path.Combine(_out, "backup") + "/"));
        AssertVerifies(backup);
        var layoutOnMedium = ExternalTool.RunOk("sh", "dash", ["-c", "isoinfo -R -i \"$0\" -x /boot/initrd.img | zstd -dc | cpio -i --to-stdout etc/rescuekit/layout.json 2>/dev/null", Isos()[0]]);
        Assert.That(layoutOnMedium, Does.Contain(_scratch.Source.Device), "the rescue system carries the backup's layout");
    }

    [Test]
    public void MediaTooSmallForTheRescueSystem_IsRefusedNamingMediaSize_AndLeavesNoIso()
    {
        var r = Mkbackup("--output", "iso", "--media-size", "20MB");

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "the rescue system alone needs", "give a larger --media-size");
        Assert.That(Isos(), Is.Empty);
    }

    [Test]
    public void BadMediaSize_IsRefusedBeforeAnythingIsWritten()
    {
        var r = Mkbackup("--output", "iso", "--media-size", "a lot");

        Assert.That(r.ExitCode, Is.EqualTo(4));
        Assert.That(r.Stderr.Trim(), Does.StartWith("rescuekit: error: --media-size 'a lot'"));
        Assert.That(Directory.EnumerateFileSystemEntries(_out), Is.Empty);
    }
}
