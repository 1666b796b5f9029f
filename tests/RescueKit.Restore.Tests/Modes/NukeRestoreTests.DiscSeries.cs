using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Restore.Discs;
using RescueKit.Restore.Modes;
using RescueKit.Restore.Tests.Planning;

namespace RescueKit.Restore.Tests.Modes;

/// <summary>
/// Nuke from a backup split over three discs, each a directory laid out as mkbackup lays out a volume (backup/ with the
/// small files, volume.json and its chunks), put in fake drives by a scripted person.
/// </summary>
public partial class NukeRestoreTests
{
    /// <summary>The three discs of a backup of /mnt/data holding 3.5 MB of random data in 1 MiB chunks (four of them): 2, 1 and 1 chunks.</summary>
    private string[] Discs(string name, DateTimeOffset started)
    {
        var source = Directory.CreateDirectory(Path.Combine(_dir, name + "-src")).FullName;
        File.WriteAllBytes(Path.Combine(source, "blob"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3_500_000));
        var backup = new BackupSetWriter(Serilog.Core.Logger.None).Write(new BackupRequest
        {
            Target = Path.Combine(_dir, name),
            Host = "rklab",
            Started = started,
            Filesystems = [new SourceFilesystem("data", source, "/dev/md0", "ext4", null)],
            Compression = SetCompression.Choose(SetCompression.Zstd, null),
            ChunkSize = ChunkSizes.Min,
            LayoutJson = File.ReadAllText(LayoutFixtureFiles.PathOf("raid1")),
            ToolVersion = "test",
        }, new Quiet(), CancellationToken.None);
        // The set as if taken of the layout's /mnt/data, so that the plan extracts it.
        var set = backup.Manifest.Sets.Single();
        File.WriteAllText(Path.Combine(backup.Directory, BackupSetNames.Manifest),
            BackupJson.SerializeManifest(backup.Manifest with { Sets = [set with { MountPoint = "/mnt/data" }] }));
        var chunks = set.Chunks.Select(c => c.File).ToList();
        Assert.That(chunks, Has.Count.EqualTo(4));
        List<string>[] onDisc = [chunks[..2], chunks[2..3], chunks[3..]];
        return onDisc.Select((held, i) =>
        {
            var root = Path.Combine(_dir, $"{name}-disc{i + 1}");
            var dir = Directory.CreateDirectory(Path.Combine(root, BackupSetNames.OnMedium)).FullName;
            foreach (var file in held.Concat([BackupSetNames.Manifest, backup.Manifest.Layout.File, backup.Manifest.Catalog.File]))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, file))!);
                File.Copy(Path.Combine(backup.Directory, file), Path.Combine(dir, file));
            }
            File.WriteAllText(Path.Combine(dir, BackupSetNames.VolumeIndex), BackupJson.SerializeVolume(new BackupVolume
            {
                FormatVersion = 1, Volume = i + 1, Volumes = 3, Chunks = held,
            }));
            return root;
        }).ToArray();
    }

    private static readonly DateTimeOffset Started = new(2026, 12, 6, 10, 15, 0, TimeSpan.Zero);

    /// <summary>One drive, disc 1 in it (booted from), and the backup as init found it there.</summary>
    private (NukeRestore Nuke, RecordingRunner Runner, ScriptedOperator Person, StringWriter Output, FakeDrives Drives, NukeRequest Request)
        SeriesNuke(string[] discs, params string[] drives)
    {
        var fake = new FakeDrives(Path.Combine(_dir, "drives"), drives.Length == 0 ? ["/dev/sr0"] : drives);
        fake.Insert(fake.Drives()[0], discs[0]);
        var (nuke, runner, person, output) = Nuke(fake);
        var request = Request() with { Backup = Path.Combine(fake.MountPoint(fake.Drives()[0]), BackupSetNames.OnMedium) };
        return (nuke, runner, person, output, fake, request);
    }

    /// <summary>A person who puts in <paramref name="inserted"/>, one per question, then gives up.</summary>
    private static Func<string, bool> Inserts(FakeDrives drives, string drive, params string[] inserted)
    {
        var next = 0;
        return _ =>
        {
            if (next == inserted.Length) return false;
            drives.Insert(drive, inserted[next++]);
            return true;
        };
    }

    [Test]
    public void OneDrive_AsksForDiscTwoThenThree_ThenRestoresReadingThemThroughTheIndex()
    {
        var discs = Discs("series", Started);
        var (nuke, runner, person, output, drives, request) = SeriesNuke(discs);
        person.OnMedium = Inserts(drives, "/dev/sr0", discs[1], discs[2]);

        var code = nuke.Run(request, CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output.ToString());
        Assert.That(person.MediumPrompts, Is.EqualTo(new[]
        {
            "Insert disc 2 of 3 of backup rklab 20261206T101500Z into /dev/sr0",
            "Insert disc 3 of 3 of backup rklab 20261206T101500Z into /dev/sr0",
        }));
        Assert.That(output.ToString(), Does.Contain("Checking disc 1 of 3").And.Contain("Checking disc 3 of 3"));
        var index = BackupJson.DeserializeDiscSeries(File.ReadAllText(Path.Combine(_dir, "disc-series", DiscSeries.IndexFile)), "discs.json");
        Assert.That(index.Discs.Select(d => (d.Volume, d.Changes, d.Chunks.Count)), Is.EqualTo(new[] { (1, true, 2), (2, true, 1), (3, true, 1) }));
        var extract = runner.Ran.Single(r => r.StartsWith("rescuekit extract", StringComparison.Ordinal));
        Assert.That(extract, Does.StartWith($"rescuekit extract {Path.Combine(_dir, "disc-series", "backup")} ")
            .And.EndWith($"--discs {Path.Combine(_dir, "disc-series", DiscSeries.IndexFile)}"));
    }

    [Test]
    public void AWrongDisc_IsNamedAndAskedForAgain()
    {
        var discs = Discs("series", Started);
        var (nuke, _, person, output, drives, request) = SeriesNuke(discs);
        person.OnMedium = Inserts(drives, "/dev/sr0", discs[2], discs[1], discs[2]);

        Assert.That(nuke.Run(request, CancellationToken.None), Is.EqualTo(ExitCodes.Ok));

        Assert.That(output.ToString(), Does.Contain("That is disc 3 of 3 of this backup, not disc 2 of 3"));
        Assert.That(person.MediumPrompts, Has.Count.EqualTo(3));
    }

    [Test]
    public void ADiscOfAnotherBackup_IsNamed_AndGivingUpStopsBeforeAnyWrite()
    {
        var discs = Discs("series", Started);
        var other = Discs("other", Started.AddDays(1));
        var (nuke, runner, person, output, drives, request) = SeriesNuke(discs);
        person.OnMedium = Inserts(drives, "/dev/sr0", other[1]);

        var e = Assert.Throws<DiscNotInsertedException>(() => nuke.Run(request, CancellationToken.None))!;

        Assert.That(output.ToString(), Does.Contain("That is disc 2 of 3 of another backup (rklab").And.Contain("20261207T101500Z), not disc 2 of 3"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(e.Message, Does.Contain("disc 2 of 3 of backup rklab 20261206T101500Z was not inserted").And.Contain("no disk was touched"));
        Assert.That(runner.Ran, Is.EqualTo(new[] { "lsblk -J -b -O" }));
    }

    [Test]
    public void ADamagedChunkOnDiscTwo_IsFoundBeforeAnyStep()
    {
        var discs = Discs("series", Started);
        var chunk = Directory.EnumerateFiles(Path.Combine(discs[1], "backup", BackupSetNames.SetsDirectory)).Single();
        var bytes = File.ReadAllBytes(chunk);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(chunk, bytes);
        var (nuke, runner, person, _, drives, request) = SeriesNuke(discs);
        person.OnMedium = Inserts(drives, "/dev/sr0", discs[1], discs[2]);

        var e = Assert.Throws<RescueKitException>(() => nuke.Run(request, CancellationToken.None))!;

        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(e.Message, Does.Contain("disc 2 of 3 of backup rklab 20261206T101500Z is damaged").And.Contain("has the wrong SHA-256")
            .And.Contain("no disk was touched"));
        Assert.That(runner.Ran, Is.EqualTo(new[] { "lsblk -J -b -O" }));
    }

    [Test]
    public void Unattended_WithDiscTwoInNoDrive_IsRefusedNamingIt_WithoutAQuestion()
    {
        var discs = Discs("series", Started);
        var (nuke, runner, person, _, drives, request) = SeriesNuke(discs, "/dev/sr0", "/dev/sr1");
        drives.Insert("/dev/sr1", discs[2]);

        var e = Assert.Throws<RescueKitException>(() => nuke.Run(request with { Unattended = true }, CancellationToken.None))!;

        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.Contain("spans 3 discs, and disc 2 is in no drive here").And.Contain("an unattended restore asks for no disc")
            .And.Contain("no disk was touched"));
        Assert.That(person.MediumPrompts, Is.Empty);
        Assert.That(runner.Ran, Is.EqualTo(new[] { "lsblk -J -b -O" }));
    }

    [Test]
    public void EveryDiscInADriveOfItsOwn_IsReadWhereItIs_WithoutAQuestion()
    {
        var discs = Discs("series", Started);
        var (nuke, _, person, output, drives, request) = SeriesNuke(discs, "/dev/sr0", "/dev/sr1", "/dev/sr2");
        drives.Insert("/dev/sr1", discs[2]);
        drives.Insert("/dev/sr2", discs[1]);

        Assert.That(nuke.Run(request with { Unattended = true }, CancellationToken.None), Is.EqualTo(ExitCodes.Ok), output.ToString());

        Assert.That(person.MediumPrompts, Is.Empty);
        Assert.That(drives.Released, Is.Empty, "no disc was taken out");
        var index = BackupJson.DeserializeDiscSeries(File.ReadAllText(Path.Combine(_dir, "disc-series", DiscSeries.IndexFile)), "discs.json");
        Assert.That(index.Discs.Select(d => (d.Volume, d.Drive, d.Changes)),
            Is.EqualTo(new[] { (1, "/dev/sr0", false), (2, "/dev/sr2", false), (3, "/dev/sr1", false) }));
    }

    /// <summary>One drive: the pre-flight gets discs 2 and 3, then the extract step asks for disc 1, which the person
    /// will not give.</summary>
    private (string[] Discs, NukeRestore Nuke, RecordingRunner Runner, ScriptedOperator Person, StringWriter Output, FakeDrives Drives, NukeRequest Request)
        SeriesNukeAskingForDiscOneMidExtract()
    {
        var discs = Discs("series", Started);
        var (nuke, runner, person, output, drives, request) = SeriesNuke(discs);
        person.OnMedium = Inserts(drives, "/dev/sr0", discs[1], discs[2]);
        runner.ExtractSays = DiscRequest.Line(1, 3, "rklab 20261206T101500Z", "/dev/sr0", "/run/rescuekit/discs/sr0/backup");
        return (discs, nuke, runner, person, output, drives, request);
    }

    [Test]
    public void AnExtractStepAskingForADisc_HasItAskedFor_AndGivingUpThereStopsTheRestore()
    {
        var (_, nuke, runner, person, _, _, request) = SeriesNukeAskingForDiscOneMidExtract();

        var e = Assert.Throws<DiscNotInsertedException>(() => nuke.Run(request, CancellationToken.None))!;

        Assert.That(person.MediumPrompts[^1], Is.EqualTo("Insert disc 1 of 3 of backup rklab 20261206T101500Z into /dev/sr0"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(e.Message, Does.Contain("--resume"));
        Assert.That(runner.Ran, Has.Some.StartWith("rescuekit extract"));
    }

    /// <summary>
    /// After that give-up, disc 1 is out of the drive (disc 3 is in it) and init's backup directory is gone with it:
    /// `restore --mode nuke --resume` goes on from the copy of the series' small files, checks the discs again (asking
    /// for those not in the drive), and finishes without repeating a step that was done.
    /// </summary>
    [Test]
    public void AResumeAfterGivingUpMidExtract_GoesOnFromTheCopy_AndFinishes()
    {
        var (discs, nuke, runner, person, output, drives, request) = SeriesNukeAskingForDiscOneMidExtract();
        Assert.Throws<DiscNotInsertedException>(() => nuke.Run(request, CancellationToken.None));
        var made = runner.Ran.Count(r => r.StartsWith("mke2fs", StringComparison.Ordinal));
        runner.ExtractSays = null;
        var asked = person.MediumPrompts.Count;
        // Whichever disc is asked for is put in.
        person.OnMedium = prompt =>
        {
            drives.Insert("/dev/sr0", discs[int.Parse(prompt.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) - 1]);
            return true;
        };

        var code = nuke.Run(request with { Backup = null, Resume = true }, CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output.ToString());
        Assert.That(output.ToString(), Does.Contain("Resuming:"));
        // Before it writes again the resume checks every disc the steps still to run read, as the first run did.
        // With one drive that is each disc in order, disc 3 again after 1 and 2 took its place.
        Assert.That(person.MediumPrompts.Skip(asked), Is.EqualTo(new[]
        {
            "Insert disc 1 of 3 of backup rklab 20261206T101500Z into /dev/sr0",
            "Insert disc 2 of 3 of backup rklab 20261206T101500Z into /dev/sr0",
            "Insert disc 3 of 3 of backup rklab 20261206T101500Z into /dev/sr0",
        }));
        Assert.That(runner.Ran.Count(r => r.StartsWith("mke2fs", StringComparison.Ordinal)), Is.EqualTo(made), "the filesystem was not made twice");
        Assert.That(runner.Ran.Count(r => r.StartsWith("rescuekit extract", StringComparison.Ordinal)), Is.EqualTo(2), "the extract ran again");
        Assert.That(runner.Ran.Last(r => r.StartsWith("rescuekit extract", StringComparison.Ordinal)),
            Does.StartWith($"rescuekit extract {Path.Combine(_dir, "disc-series", "backup")} "));
    }

    /// <summary>Drives whose discs are directories: a disc put in is linked at the drive's mount point.</summary>
    private sealed class FakeDrives(string root, params string[] drives) : IDiscDrives
    {
        public List<string> Released { get; } = [];

        public IReadOnlyList<string> Drives() => drives;

        public string MountPoint(string drive) => Path.Combine(root, Path.GetFileName(drive));

        public string? Open(string drive, bool wait) => Directory.Exists(MountPoint(drive)) ? MountPoint(drive) : null;

        public void Release(string drive)
        {
            Released.Add(drive);
            if (Directory.Exists(MountPoint(drive))) Directory.Delete(MountPoint(drive));
        }

        public void Insert(string drive, string disc)
        {
            Directory.CreateDirectory(root);
            if (Directory.Exists(MountPoint(drive))) Directory.Delete(MountPoint(drive));
            Directory.CreateSymbolicLink(MountPoint(drive), disc);
        }
    }
}
