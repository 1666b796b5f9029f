namespace RescueKit.Core.Backup;

/// <summary>
/// The names of a backup set's files (docs/backup.md "Set format") that more than the backup writer knows: the media
/// build lays them out on an ISO, init's 40-media stage and the restore look for the manifest. A name changed here is
/// a new format version.
/// </summary>
public static class BackupSetNames
{
    /// <summary>Written last and published by rename: a directory without it is not a backup.</summary>
    public const string Manifest = "manifest.json";

    public const string Layout = "layout.json";

    /// <summary>The directory of the archive chunks, which a series spreads over its volumes.</summary>
    public const string SetsDirectory = "sets";

    /// <summary>Where a backup lives on a rescue medium; 40-media looks for <c>backup/manifest.json</c> there.</summary>
    public const string OnMedium = "backup";

    /// <summary>Each volume's index of a series on media (<c>backup/volume.json</c>).</summary>
    public const string VolumeIndex = "volume.json";
}
