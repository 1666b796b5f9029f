using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>A backup's files as files: each at the path <paramref name="pathOf"/> gives, asked just before it is opened
/// (a disc series may have to bring the disc first).</summary>
public sealed class DirectoryChunkSource(Func<BackupFile, string> pathOf) : IChunkSource
{
    public Stream Open(BackupFile file)
    {
        try
        {
            return new FileStream(pathOf(file), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ChunkFaultException(file.File, "is missing");
        }
    }

    public long? SizeOf(BackupFile file)
    {
        var info = new FileInfo(pathOf(file));
        return info.Exists ? info.Length : null;
    }
}
