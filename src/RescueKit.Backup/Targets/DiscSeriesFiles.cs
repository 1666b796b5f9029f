using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Targets;

/// <summary>
/// The chunks of a backup on a disc series, read where nuke's pre-flight found each disc (discs.json): straight from a
/// disc in a drive of its own; from the drive discs are changed in once the wanted disc is mounted there. Until it
/// is, the <see cref="DiscRequest"/> line is printed once and the disc looked for again every half second, since the
/// one who changes it (nuke's executor, or a person running restore-plan.sh) is another process.
/// </summary>
public sealed class DiscSeriesFiles
{
    private readonly BackupSet _backup;
    private readonly DiscSeriesIndex _index;
    private readonly Action<string> _say;
    private readonly Dictionary<string, DiscPlace> _placeOf = new(StringComparer.Ordinal);

    private DiscSeriesFiles(BackupSet backup, DiscSeriesIndex index, Action<string> say)
    {
        _backup = backup;
        _index = index;
        _say = say;
        foreach (var disc in index.Discs)
            foreach (var chunk in disc.Chunks) _placeOf[chunk] = disc;
    }

    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary><paramref name="backup"/> reading its chunks from the discs <paramref name="indexPath"/> places.</summary>
    /// <param name="say">Hears the line asking for a disc.</param>
    public static BackupSet Attach(BackupSet backup, string indexPath, Action<string> say)
    {
        DiscSeriesIndex index;
        try
        {
            index = BackupJson.DeserializeDiscSeries(File.ReadAllText(indexPath), indexPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"the disc series index {indexPath} cannot be read ({e.Message}): nuke's pre-flight writes it", e);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException(e.Message, e);
        }
        if (index.ManifestSha256 != backup.ManifestSha256)
            throw new BadInputException($"the disc series index {indexPath} is of backup {index.Backup}, not of {DiscIdentity.Describe(backup.Manifest)}");
        var files = new DiscSeriesFiles(backup, index, say);
        return backup with { Files = new DirectoryChunkSource(files.PathOf) };
    }

    private string PathOf(BackupFile file)
    {
        if (!_placeOf.TryGetValue(file.File, out var disc)) return Path.Combine(_backup.Directory, file.File);
        if (disc.Changes) WaitFor(disc);
        return Path.Combine(disc.Directory, file.File);
    }

    private void WaitFor(DiscPlace disc)
    {
        var asked = false;
        while (!(DiscIdentity.Read(disc.Directory)?.Is(_index.ManifestSha256, disc.Volume) ?? false))
        {
            if (!asked) _say(DiscRequest.Line(disc.Volume, _index.Discs.Count, _index.Backup, disc.Drive, disc.Directory));
            asked = true;
            Thread.Sleep(Poll);
        }
    }
}
