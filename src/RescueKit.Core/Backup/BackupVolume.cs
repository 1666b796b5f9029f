namespace RescueKit.Core.Backup;

/// <summary>
/// backup/volume.json on each volume of a numbered series on media (docs/backup.md "Backups on the media"): its number,
/// how many there are and the chunks it carries. What series a volume belongs to is the SHA-256 of the manifest.json
/// every volume carries beside it, not anything in this file.
/// </summary>
public sealed record BackupVolume
{
    public const int CurrentFormatVersion = 1;

    public required int FormatVersion { get; init; }

    /// <summary>1 for the volume that boots.</summary>
    public required int Volume { get; init; }

    public required int Volumes { get; init; }

    /// <summary>The chunk files on this volume, relative to backup/ (<c>sets/root.tar.zst.003</c>), in chunk order.</summary>
    public required IReadOnlyList<string> Chunks { get; init; }
}

/// <summary>
/// discs.json: where nuke found every volume of a disc series, written by its pre-flight for the extract steps of the
/// plan (`rescuekit extract --discs FILE`). A volume in a drive of its own stays there; the others come and go in the
/// one drive the person changes discs in, which is mounted on the same directory whatever disc it holds.
/// </summary>
public sealed record DiscSeriesIndex
{
    public const int CurrentFormatVersion = 1;

    public required int FormatVersion { get; init; }

    /// <summary>The SHA-256 of the series' manifest.json: a disc whose manifest hashes otherwise is of another backup.</summary>
    public required string ManifestSha256 { get; init; }

    /// <summary>How the person knows the backup: its host and id.</summary>
    public required string Backup { get; init; }

    public required IReadOnlyList<DiscPlace> Discs { get; init; }
}

/// <param name="Directory">The disc's backup/ directory as mounted.</param>
/// <param name="Drive">The drive it is read from (/dev/sr0), named when it is asked for.</param>
/// <param name="Changes">True when the disc shares its drive with others, so it must be checked and maybe asked for
/// before each chunk is read.</param>
public sealed record DiscPlace(int Volume, string Drive, string Directory, bool Changes, IReadOnlyList<string> Chunks);
