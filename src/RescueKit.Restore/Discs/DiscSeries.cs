using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Restore.Modes;

namespace RescueKit.Restore.Discs;

/// <summary>
/// A backup that spans a numbered series of discs, as nuke restores it (docs/restore.md "Disc series"). Its small files
/// are copied into memory, so the plan names a backup that stays when disc 1 leaves the drive. Before any write,
/// <see cref="Gather"/> finds every disc: those in drives of their own are read where they are, without a question;
/// the rest are asked for, one after the other, in the one drive the discs are changed in. Each disc is checked as it
/// comes (the manifest's SHA-256 says which backup it is of, volume.json which disc; a wrong one is named and asked for
/// again) and its chunks hashed. Where each disc is read from goes to discs.json for the plan's extract steps, and
/// <see cref="Bring"/> changes the disc again when one of them asks for another.
/// </summary>
public sealed class DiscSeries
{
    public const string IndexFile = "discs.json";

    private readonly BackupSet _disc;
    private readonly IDiscDrives _drives;
    private readonly IOperator _person;
    private readonly Action<string> _say;
    private readonly int _volumes;
    private readonly string _name;
    private string? _changer;
    private int? _inChanger;

    private DiscSeries(BackupSet disc, BackupSet copy, int volumes, IDiscDrives drives, IOperator person, Action<string> say)
    {
        _disc = disc;
        Backup = copy;
        _volumes = volumes;
        _drives = drives;
        _person = person;
        _say = say;
        _name = DiscIdentity.Describe(copy.Manifest);
    }

    /// <summary>The backup the plan restores: the series' small files, in memory.</summary>
    public BackupSet Backup { get; }

    public string IndexPath => Path.Combine(Path.GetDirectoryName(Backup.Directory)!, IndexFile);

    /// <summary>How many discs the series of <paramref name="disc"/> has: 1 for a backup on one medium (or none).</summary>
    public static int VolumesOf(BackupSet disc)
    {
        var volumePath = Path.Combine(disc.Directory, BackupSetNames.VolumeIndex);
        if (!File.Exists(volumePath)) return 1;
        try
        {
            return BackupJson.DeserializeVolume(File.ReadAllText(volumePath), volumePath).Volumes;
        }
        catch (InvalidDataException e)
        {
            throw new RescueKitException(e.Message, ExitCodes.CheckFailed, e);
        }
    }

    /// <summary>Where nuke keeps the copy of a series' small files under <paramref name="directory"/>, which its plan names as the backup.</summary>
    public static string CopyIn(string directory) => Path.Combine(directory, BackupSetNames.OnMedium);

    /// <summary>The discs.json the extract steps of a plan read the discs through (--discs), beside <see cref="CopyIn"/>.</summary>
    public static string IndexIn(string directory) => Path.Combine(directory, IndexFile);

    /// <summary>What a give-up adds to its message: before the first write, that none happened; later, how to go on.</summary>
    public string AfterGivingUp { get; set; } = "so nothing was restored and no disk was touched";

    /// <summary>
    /// The series <paramref name="disc"/> (a backup/ directory) is a volume of, with its small files copied under
    /// <paramref name="directory"/>; null when it is no volume of a series of two or more.
    /// </summary>
    public static DiscSeries? Of(BackupSet disc, string directory, IDiscDrives drives, IOperator person, Action<string> say)
    {
        var volumes = VolumesOf(disc);
        if (volumes <= 1) return null;
        var copy = CopyIn(directory);
        // A resumed restore opens the copy itself.
        if (Path.GetFullPath(copy) != disc.Directory)
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            foreach (var file in new[] { BackupSetNames.Manifest, BackupSetNames.VolumeIndex, disc.Manifest.Layout.File, disc.Manifest.Catalog.File })
            {
                var to = Path.Combine(copy, file);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(Path.Combine(disc.Directory, file), to);
            }
        }
        return new DiscSeries(disc, BackupSet.Open(copy), volumes, drives, person, say);
    }

    /// <summary>
    /// Every disc found and checked, and discs.json written; unattended, a disc in no drive stops it before any question.
    /// </summary>
    public void Gather(bool unattended)
    {
        var sha = Backup.ManifestSha256;
        var found = new SortedDictionary<int, (string Drive, string Directory)>();
        var holder = new Dictionary<string, int?>(StringComparer.Ordinal);
        var others = new List<string>();
        foreach (var drive in _drives.Drives())
        {
            holder[drive] = null;
            if (_drives.Open(drive, wait: false) is not { } root) continue;
            var directory = Path.Combine(root, BackupSetNames.OnMedium);
            var identity = DiscIdentity.Read(directory);
            if (identity?.ManifestSha256 == sha && identity.Volume is { } v && !found.ContainsKey(v.Volume))
            {
                found[v.Volume] = (drive, directory);
                holder[drive] = v.Volume;
            }
            else others.Add($"{drive} holds {identity?.Describe(sha) ?? "no RescueKit backup"}");
        }
        // Named as a directory (a copy of one disc), not found in a drive; the copy in memory holds no chunks.
        if (_disc.Directory != Backup.Directory && DiscIdentity.Read(_disc.Directory)?.Volume is { } given && !found.ContainsKey(given.Volume))
            found[given.Volume] = (_disc.Directory, _disc.Directory);

        var missing = Enumerable.Range(1, _volumes).Where(v => !found.ContainsKey(v)).ToList();
        if (missing.Count > 0)
        {
            if (unattended || holder.Count == 0)
                throw new RescueKitException(
                    $"backup {_name} spans {_volumes} discs, and {Discs(missing)} {(missing.Count == 1 ? "is" : "are")} in no drive here" +
                    (others.Count > 0 ? $" ({string.Join("; ", others)})" : "") +
                    (holder.Count == 0 ? ", which has no optical drive" : ": an unattended restore asks for no disc") +
                    ", so nothing was restored and no disk was touched. Put every disc in a drive of its own, " +
                    "or copy backup/ of every disc into one directory and restore from it", ExitCodes.BadInput);
            // The discs are changed in a drive that holds none of them if there is one, else in the one with the lowest disc.
            _changer = holder.OrderBy(h => h.Value.HasValue).ThenBy(h => h.Value ?? 0).First().Key;
            _inChanger = holder[_changer];
        }

        var places = new List<DiscPlace>();
        foreach (var (volume, (drive, directory)) in found)
        {
            if (drive == _changer) continue;
            places.Add(new DiscPlace(volume, drive, directory, Changes: false, Check(volume, directory)));
        }
        if (_changer is not null)
        {
            var changing = Path.Combine(_drives.MountPoint(_changer), BackupSetNames.OnMedium);
            // The disc already in that drive is checked where it is, so it is not asked for before it is needed again.
            if (_inChanger is { } current)
                places.Add(new DiscPlace(current, _changer, changing, Changes: true, Check(current, found[current].Directory)));
            foreach (var volume in missing)
            {
                Bring(volume);
                places.Add(new DiscPlace(volume, _changer, changing, Changes: true, Check(volume, changing)));
            }
        }

        var onDiscs = places.SelectMany(p => p.Chunks).ToHashSet(StringComparer.Ordinal);
        var absent = Backup.Manifest.Sets.SelectMany(s => s.Chunks).Where(c => !onDiscs.Contains(c.File)).Select(c => c.File).ToList();
        if (absent.Count > 0)
            throw new RescueKitException(
                $"backup {_name}: no disc of the series holds {string.Join(", ", absent.Take(5))}{(absent.Count > 5 ? $" and {absent.Count - 5} more" : "")}, " +
                "so nothing was restored and no disk was touched", ExitCodes.CheckFailed);
        File.WriteAllText(IndexPath, BackupJson.SerializeDiscSeries(new DiscSeriesIndex
        {
            FormatVersion = DiscSeriesIndex.CurrentFormatVersion,
            ManifestSha256 = sha,
            Backup = _name,
            Discs = places.OrderBy(p => p.Volume).ToList(),
        }));
    }

    /// <summary>Makes disc <paramref name="volume"/> the one in the drive the discs are changed in, asking for it
    /// until it is there.</summary>
    /// <exception cref="DiscNotInsertedException">The person gave up, or there is no one to ask.</exception>
    public void Bring(int volume)
    {
        var drive = _changer ?? throw new InvalidOperationException("every disc of the series is in a drive of its own");
        var directory = Path.Combine(_drives.MountPoint(drive), BackupSetNames.OnMedium);
        if (_inChanger == volume && DiscIdentity.Read(directory)?.Is(Backup.ManifestSha256, volume) == true) return;
        while (true)
        {
            _drives.Release(drive);
            _inChanger = null;
            var wanted = $"disc {volume} of {_volumes} of backup {_name}";
            if (!_person.AskForMedium($"Insert {wanted} into {drive}"))
                throw new DiscNotInsertedException($"{wanted} was not inserted into {drive}, {AfterGivingUp}");
            if (_drives.Open(drive, wait: true) is null)
            {
                _say($"{drive} holds no disc that can be read.");
                continue;
            }
            var identity = DiscIdentity.Read(directory);
            if (identity?.Is(Backup.ManifestSha256, volume) == true)
            {
                _inChanger = volume;
                return;
            }
            _say($"That is {identity?.Describe(Backup.ManifestSha256) ?? "no RescueKit backup"}, not {wanted}.");
        }
    }

    /// <summary>The chunks on disc <paramref name="volume"/>, each hashed against the manifest.</summary>
    private IReadOnlyList<string> Check(int volume, string directory)
    {
        _say($"Checking disc {volume} of {_volumes}: every chunk's SHA-256...");
        var chunks = DiscIdentity.Read(directory)!.Volume!.Chunks;
        var manifestChunks = Backup.Manifest.Sets.SelectMany(s => s.Chunks).ToDictionary(c => c.File, StringComparer.Ordinal);
        var strangers = chunks.Where(c => !manifestChunks.ContainsKey(c)).ToList();
        var faults = strangers.Select(c => $"{c} is not in the manifest")
            .Concat(BackupVerifier.CheckFiles(Backup with { Files = new DirectoryChunkSource(f => Path.Combine(directory, f.File)) },
                chunks.Where(manifestChunks.ContainsKey).Select(c => manifestChunks[c])))
            .ToList();
        if (faults.Count > 0)
            throw new RescueKitException(
                $"disc {volume} of {_volumes} of backup {_name} is damaged, so nothing was restored and no disk was touched: {string.Join("; ", faults)}",
                ExitCodes.CheckFailed);
        return chunks;
    }

    private static string Discs(IReadOnlyList<int> volumes) =>
        volumes.Count == 1 ? $"disc {volumes[0]}" : $"discs {string.Join(", ", volumes.SkipLast(1))} and {volumes[^1]}";
}
