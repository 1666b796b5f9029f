using RescueKit.Backup.Archive;
using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Backup.Tests.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Tests.Targets;

/// <summary>
/// `extract --discs`: a set whose chunks are on two discs, the second in the drive discs are changed in. Extracting
/// reads the first disc where it is, asks for the second with the line nuke's executor answers, waits until it is
/// mounted, and goes on: the tree comes back whole.
/// </summary>
public class DiscSeriesFilesTests
{
    [Test]
    public void AChunkOnADiscNotInItsDrive_IsAskedFor_AndReadOnceThatDiscIsMounted()
    {
        using var scratch = new BackupScratch();
        var blob = BackupScratch.Random(2_500_000);
        scratch.Write("blob", blob);
        var backup = scratch.Backup(scratch.Request(compression: SetCompression.None, chunkSize: ChunkSizes.Min));
        var chunks = backup.Manifest.Sets[0].Chunks.Select(c => c.File).ToList();
        var discOne = Disc(scratch, backup, 1, chunks[..1]);
        var discTwo = Disc(scratch, backup, 2, chunks[1..]);
        var drive = Path.Combine(scratch.Directory, "drive", BackupSetNames.OnMedium);
        var index = Path.Combine(scratch.Directory, "discs.json");
        File.WriteAllText(index, BackupJson.SerializeDiscSeries(new DiscSeriesIndex
        {
            FormatVersion = 1,
            ManifestSha256 = backup.ManifestSha256,
            Backup = DiscIdentity.Describe(backup.Manifest),
            Discs = [new DiscPlace(1, "/dev/sr1", discOne, false, chunks[..1]), new DiscPlace(2, "/dev/sr0", drive, true, chunks[1..])],
        }));
        var asked = new List<string>();
        var onDiscs = DiscSeriesFiles.Attach(backup, index, line =>
        {
            asked.Add(line);
            // What nuke's executor does on that line: the disc goes in the drive.
            Directory.CreateSymbolicLink(Path.GetDirectoryName(drive)!, Path.GetDirectoryName(discTwo)!);
        });
        Directory.Delete(Path.Combine(backup.Directory, BackupSetNames.SetsDirectory), recursive: true);

        var target = Path.Combine(scratch.Directory, "restored");
        new BackupExtractor(Serilog.Core.Logger.None).Extract(onDiscs, "data", target, null, new ExtractOptions { RestoreOwners = false },
            CancellationToken.None);

        Assert.That(File.ReadAllBytes(Path.Combine(target, "blob")), Is.EqualTo(blob));
        Assert.That(asked, Is.EqualTo(new[] { DiscRequest.Line(2, 2, DiscIdentity.Describe(backup.Manifest), "/dev/sr0", drive) }));
        Assert.That(DiscRequest.Parse(asked[0]), Is.EqualTo(2));
    }

    [Test]
    public void AnIndexOfAnotherBackup_IsRefused()
    {
        using var scratch = new BackupScratch();
        scratch.Write("a", [1]);
        var backup = scratch.Backup(scratch.Request());
        var index = Path.Combine(scratch.Directory, "discs.json");
        File.WriteAllText(index, BackupJson.SerializeDiscSeries(new DiscSeriesIndex
        {
            FormatVersion = 1, ManifestSha256 = new string('0', 64), Backup = "web2 20261201T000000Z", Discs = [],
        }));

        var e = Assert.Throws<BadInputException>(() => DiscSeriesFiles.Attach(backup, index, _ => { }))!;

        Assert.That(e.Message, Does.Contain("is of backup web2 20261201T000000Z"));
    }

    /// <summary>Volume <paramref name="volume"/>'s backup/ directory, as mkbackup writes it.</summary>
    private static string Disc(BackupScratch scratch, BackupSet backup, int volume, IReadOnlyList<string> chunks)
    {
        var dir = Path.Combine(scratch.Directory, $"disc{volume}", BackupSetNames.OnMedium);
        foreach (var file in chunks.Append(BackupSetNames.Manifest))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, file))!);
            File.Copy(Path.Combine(backup.Directory, file), Path.Combine(dir, file));
        }
        File.WriteAllText(Path.Combine(dir, BackupSetNames.VolumeIndex), BackupJson.SerializeVolume(new BackupVolume
        {
            FormatVersion = 1, Volume = volume, Volumes = 2, Chunks = chunks,
        }));
        return dir;
    }
}
