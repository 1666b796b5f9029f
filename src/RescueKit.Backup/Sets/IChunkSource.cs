using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>
/// Where the files of a backup are read from: its directory (<see cref="DirectoryChunkSource"/>, also a disc series'
/// discs) or a server streaming them (<see cref="Targets.HttpChunkSource"/>). Only bytes come from here: the readers
/// (<see cref="ChunkedReader"/>, <see cref="BackupVerifier"/>) check each file's size and SHA-256 against the manifest.
/// </summary>
public interface IChunkSource
{
    /// <summary>The file's bytes from its start; its Length is the file's size as the source has it. A file that is
    /// not there is a <see cref="ChunkFaultException"/> saying it is missing.</summary>
    Stream Open(BackupFile file);

    /// <summary>The file's size without reading it, or null when it is not there.</summary>
    long? SizeOf(BackupFile file);
}
