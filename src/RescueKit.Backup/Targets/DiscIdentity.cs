using System.Security.Cryptography;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Targets;

/// <summary>
/// What backup a disc's backup/ directory belongs to and which volume of its series it is. The series is told by the
/// SHA-256 of the manifest.json every volume carries: two backups of the same host never share it, a label or a
/// volume number alone would.
/// </summary>
/// <param name="Backup">Its host and id, as a person knows it.</param>
/// <param name="Volume">Its volume.json; null when it is a backup but no volume of a series.</param>
public sealed record DiscIdentity(string ManifestSha256, string Backup, BackupVolume? Volume)
{
    /// <summary>The identity of the backup in <paramref name="backupDirectory"/>; null when there is none to read.</summary>
    public static DiscIdentity? Read(string backupDirectory)
    {
        try
        {
            var bytes = File.ReadAllBytes(Path.Combine(backupDirectory, BackupSetNames.Manifest));
            var manifest = BackupJson.DeserializeManifest(System.Text.Encoding.UTF8.GetString(bytes), BackupSetNames.Manifest);
            var volumePath = Path.Combine(backupDirectory, BackupSetNames.VolumeIndex);
            var volume = File.Exists(volumePath) ? BackupJson.DeserializeVolume(File.ReadAllText(volumePath), volumePath) : null;
            return new DiscIdentity(Convert.ToHexStringLower(SHA256.HashData(bytes)), Describe(manifest), volume);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>"HOST ID", how messages name a backup.</summary>
    public static string Describe(BackupManifest manifest) => $"{manifest.Host} {manifest.Id}";

    public bool Is(string manifestSha256, int volume) => ManifestSha256 == manifestSha256 && Volume?.Volume == volume;

    /// <summary>What this disc is, seen from the series of <paramref name="manifestSha256"/>.</summary>
    public string Describe(string manifestSha256)
    {
        var which = Volume is null ? "a backup that is not a disc series" : $"disc {Volume.Volume} of {Volume.Volumes}";
        return ManifestSha256 == manifestSha256 ? $"{which} of this backup" : $"{which} of another backup ({Backup})";
    }
}
