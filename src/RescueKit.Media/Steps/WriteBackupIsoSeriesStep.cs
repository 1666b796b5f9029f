using RescueKit.Core;
using RescueKit.Formats.Iso9660;
using RescueKit.Media.BackupMedia;
using BackupJson = RescueKit.Core.Backup.BackupJson;
using BackupSetNames = RescueKit.Core.Backup.BackupSetNames;

namespace RescueKit.Media.Steps;

/// <summary>
/// Writes the rescue ISO with a backup set on it (`mkbackup --output iso`). When the set does not fit on one medium
/// of <paramref name="capacity"/> bytes, a numbered series: volume 1 boots and carries what fits, the rest carry data.
/// Every volume holds the set's small files (manifest, layout, catalog) and a <c>backup/volume.json</c> naming its
/// number and chunks, and is labelled with its number. All volumes are written, or none is left behind.
/// </summary>
public sealed class WriteBackupIsoSeriesStep(string backupDirectory, long capacity) : IBuildStep
{
    public string Title => "Writing the ISO series with the backup";

    /// <summary>The ISO files written, volume 1 first (set after <see cref="Run"/>).</summary>
    public IReadOnlyList<string> Written { get; private set; } = [];

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var files = ListSet(backupDirectory);
        var shared = files.Where(f => !f.IsChunk).ToList();
        var chunks = files.Where(f => f.IsChunk).ToList();
        var volumes = BackupVolumePlanner.Plan(chunks, capacity,
            (n, held) => Compose(context, n, 0, shared, held).PlannedSize);

        var written = new List<string>();
        try
        {
            foreach (var volume in volumes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = VolumePath(context.Config, volume.Number);
                Compose(context, volume.Number, volumes.Count, shared, volume.Chunks).WriteTo(path);
                written.Add(path);
                context.Log.Information("Wrote volume {Number} of {Count}: {Path} ({Size:N0} bytes, {Chunks} chunks)",
                    volume.Number, volumes.Count, path, new FileInfo(path).Length, volume.Chunks.Count);
            }
        }
        catch
        {
            // A series with a missing volume cannot be restored: leave none of it behind.
            foreach (var path in written) File.Delete(path);
            throw;
        }
        Written = written;
        RemoveStaleVolumes(context, written.Count);
    }

    /// <summary>Volumes of an earlier, longer series would pass for part of this one: removed once this one is complete.</summary>
    private static void RemoveStaleVolumes(BuildContext context, int count)
    {
        for (var n = count + 1; File.Exists(VolumePath(context.Config, n)); n++)
        {
            File.Delete(VolumePath(context.Config, n));
            context.Log.Information("Removed {Path}, a volume of an earlier series", VolumePath(context.Config, n));
        }
    }

    /// <summary>rescuekit-HOST.iso for the boot volume, rescuekit-HOST-N.iso for the others.</summary>
    public static string VolumePath(RescueConfig config, int number) =>
        number == 1 ? config.IsoPath : Path.Combine(config.OutputDirectory, $"rescuekit-{config.HostName}-{number}.iso");

    /// <summary>The volume label: the rescue label on volume 1 (init finds the boot medium by it), LABEL_N after.</summary>
    public static string VolumeLabel(string label, int number)
    {
        if (number == 1) return label;
        var suffix = $"_{number}";
        return label[..Math.Min(label.Length, 32 - suffix.Length)] + suffix;
    }

    private static IsoBuilder Compose(BuildContext context, int number, int count,
        IReadOnlyList<BackupFile> shared, IReadOnlyList<BackupFile> chunks)
    {
        var config = context.Config;
        var time = config.Timestamp;
        var fileMeta = new UnixMetadata(UnixModes.ReadOnlyFile, 0, 0, time);
        var iso = number == 1
            ? WriteIsoStep.Compose(context)
            : new IsoBuilder(new IsoOptions
            {
                VolumeIdentifier = VolumeLabel(config.Label, number),
                Timestamp = time,
                Publisher = "RESCUEKIT",
                Application = $"RESCUEKIT {config.Version}",
                SystemIdentifier = "LINUX",
            });
        foreach (var f in shared.Concat(chunks))
            iso.AddFile($"{BackupSetNames.OnMedium}/{f.RelativePath}", f.HostPath, fileMeta);
        iso.AddFile($"{BackupSetNames.OnMedium}/{BackupSetNames.VolumeIndex}", VolumeIndex(number, count, chunks), fileMeta);
        return iso;
    }

    private static byte[] VolumeIndex(int number, int count, IReadOnlyList<BackupFile> chunks) =>
        System.Text.Encoding.UTF8.GetBytes(BackupJson.SerializeVolume(new Core.Backup.BackupVolume
        {
            FormatVersion = Core.Backup.BackupVolume.CurrentFormatVersion,
            Volume = number,
            Volumes = count,
            Chunks = chunks.Select(c => c.RelativePath).ToList(),
        }));

    /// <summary>Every file of the set, in ordinal path order (chunk numbers are zero-padded, so that is restore order).</summary>
    internal static IReadOnlyList<BackupFile> ListSet(string directory)
    {
        if (!File.Exists(Path.Combine(directory, BackupSetNames.Manifest)))
            throw new BadInputException($"{directory} is not a complete backup set (no {BackupSetNames.Manifest}): give a finished backup");
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(p => new BackupFile(Path.GetRelativePath(directory, p).Replace('\\', '/'), p, new FileInfo(p).Length))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
    }
}
