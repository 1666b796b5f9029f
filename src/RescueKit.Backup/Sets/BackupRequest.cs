using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>Everything one `rescuekit backup` run was asked to do, checked and resolved by the command line.</summary>
public sealed record BackupRequest
{
    public const int DefaultRecordSize = 4 << 20;

    /// <summary>The target root; the backup goes to &lt;Target&gt;/&lt;Host&gt;/&lt;id&gt;/.</summary>
    public required string Target { get; init; }

    public required string Host { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required IReadOnlyList<SourceFilesystem> Filesystems { get; init; }

    public required BackupCompression Compression { get; init; }

    public long ChunkSize { get; init; } = ChunkSizes.Default;

    /// <summary>The user's --exclude patterns and the config file's excludes (absolute-path globs).</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Active swap files (/proc/swaps), never archived.</summary>
    public IReadOnlyList<string> SwapFiles { get; init; } = [];

    /// <summary>Set to encrypt the backup; also the key of an encrypted base.</summary>
    public BackupKey.Source? Encryption { get; init; }

    /// <summary>--since: the base backup, a directory path or the id of a backup of this host in the target.</summary>
    public string? Since { get; init; }

    /// <summary>layout.json's text, as LayoutCapture produced it.</summary>
    public required string LayoutJson { get; init; }

    public required string ToolVersion { get; init; }

    public int RecordSize { get; init; } = DefaultRecordSize;

    /// <summary>What was found before the sets were written (a filesystem that could not be mounted to be archived):
    /// the manifest lists these first, and the backup completes with warnings.</summary>
    public IReadOnlyList<BackupWarning> Warnings { get; init; } = [];
}

/// <summary>Hears how a backup advances, for a progress bar or log lines.</summary>
public interface IBackupProgress
{
    /// <summary>A set starts; <paramref name="estimatedBytes"/> is what its filesystem says it uses.</summary>
    void SetStarted(SourceFilesystem filesystem, long estimatedBytes);

    /// <summary>Content bytes read so far in the current set.</summary>
    void Advanced(long contentBytes, long entries);

    void SetFinished(FilesystemSet set);

    void Warning(string path, string message);
}
