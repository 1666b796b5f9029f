using System.Security.Cryptography;
using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>A published backup: its directory, its manifest and the SHA-256 of the manifest file.</summary>
public sealed record BackupSet(string Directory, BackupManifest Manifest, string ManifestSha256)
{
    public string Name => Path.GetFileName(Directory);

    /// <summary>Where the files of the set are read from: <see cref="Directory"/> unless told otherwise. The chunks of
    /// a disc series are on the discs (<see cref="Targets.DiscSeriesFiles"/>), which may have to be inserted first; a
    /// backup on a web server streams them (<see cref="Targets.HttpBackup"/>, whose <see cref="Directory"/> holds only
    /// the small files, fetched once).</summary>
    public IChunkSource Files { get; init; } = new DirectoryChunkSource(file => Path.Combine(Directory, file.File));

    /// <summary>The backup as a command is given it (an extract step of the restore plan, the advice to run verify):
    /// its directory, or the http:// URL its chunks are streamed from.</summary>
    public string Origin { get; init; } = Directory;

    /// <summary>Opens the base of an incremental by its id; null for the sibling directory of that name.</summary>
    public Func<string, BackupSet>? OpenBase { get; init; }

    /// <summary>Opens the backup in <paramref name="directory"/>; a directory without a manifest is not a backup.</summary>
    public static BackupSet Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        var manifestPath = Path.Combine(full, BackupSetNames.Manifest);
        if (!System.IO.Directory.Exists(full))
            throw new BadInputException($"backup {directory} does not exist: give the path of a backup directory (one holding {BackupSetNames.Manifest})");
        if (!File.Exists(manifestPath))
            throw new BadInputException($"{directory} is not a complete backup: it has no {BackupSetNames.Manifest} (an interrupted backup never gets one)");
        var bytes = File.ReadAllBytes(manifestPath);
        BackupManifest manifest;
        try
        {
            manifest = BackupJson.DeserializeManifest(System.Text.Encoding.UTF8.GetString(bytes), manifestPath);
        }
        catch (InvalidDataException e)
        {
            throw new RescueKitException(e.Message, ExitCodes.CheckFailed, e);
        }
        return new BackupSet(full, manifest, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The backups a restore applies, in order: the full one, then each incremental up to this one. Each base
    /// is the sibling directory the manifest names, and must be the very backup it was taken against.</summary>
    public IReadOnlyList<BackupSet> Chain()
    {
        var chain = new List<BackupSet> { this };
        for (var at = this; at.Manifest.Base is { } b;)
        {
            var parent = at.OpenBase is null ? System.IO.Directory.GetParent(at.Directory)!.FullName : Parent(at.Origin);
            var baseSet = at.OpenBase?.Invoke(b.Id) ?? Open(Path.Combine(parent, b.Id));
            if (baseSet.ManifestSha256 != b.ManifestSha256)
                throw new RescueKitException(
                    $"backup {at.Name} was taken against a different {b.Id} than the one in {parent} (manifest SHA-256 differs): the chain is broken",
                    ExitCodes.CheckFailed);
            if (chain.Count > 10_000) throw new RescueKitException($"backup {Name}: its chain of bases loops", ExitCodes.CheckFailed);
            chain.Add(baseSet);
            at = baseSet;
        }
        chain.Reverse();
        return chain;
    }

    private static string Parent(string origin) => origin.TrimEnd('/')[..(origin.TrimEnd('/').LastIndexOf('/') + 1)];

    /// <summary>The set named <paramref name="name"/>, or a clear error listing those there are.</summary>
    public FilesystemSet Set(string name) =>
        Manifest.Sets.FirstOrDefault(s => s.Name == name)
        ?? throw new BadInputException(
            $"backup {Name} has no set '{name}': it has {string.Join(", ", Manifest.Sets.Select(s => s.Name))}");

    /// <summary>The key for reading this backup (null when it is not encrypted), checked against the manifest.</summary>
    public BackupKey? Key(BackupKey.Source? source) =>
        Manifest.Encryption is null ? null : BackupKey.ForExistingBackup(Manifest.Encryption, source, Name);
}
