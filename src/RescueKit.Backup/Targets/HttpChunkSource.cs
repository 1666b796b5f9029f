using RescueKit.Backup.Sets;
using RescueKit.Core.Backup;
using RescueKit.Net.Http;

namespace RescueKit.Backup.Targets;

/// <summary>
/// The files of a backup on a web server (<see cref="HttpBackup"/>): the small ones from the staging directory they
/// were fetched to once, each chunk streamed from <c>BASE/sets/…</c> as it is read, resumed after a dropped connection
/// (<see cref="HttpFetcher.Open"/>), never stored: the rescue system runs from RAM. The reader checks each chunk's size
/// and SHA-256 against the manifest as its bytes go by.
/// </summary>
public sealed class HttpChunkSource(HttpFetcher fetcher, Uri backupUrl, string stagingDirectory, IReadOnlySet<string> staged,
    CancellationToken cancellationToken) : IChunkSource
{
    public Stream Open(BackupFile file)
    {
        if (staged.Contains(file.File)) return new FileStream(Staged(file), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        Stream stream;
        try
        {
            stream = fetcher.Open(UrlOf(file), cancellationToken);
        }
        catch (FetchNotFoundException)
        {
            throw new ChunkFaultException(file.File, $"is missing on the server (404 for {UrlOf(file)})");
        }
        try
        {
            _ = stream.Length;
            return stream;
        }
        catch (NotSupportedException)
        {
            stream.Dispose();
            throw new ChunkFaultException(file.File, $"cannot be checked: the server sent no length for {UrlOf(file)}");
        }
    }

    public long? SizeOf(BackupFile file) =>
        staged.Contains(file.File) ? new FileInfo(Staged(file)).Length : fetcher.LengthOf(UrlOf(file), cancellationToken);

    /// <summary>Where <paramref name="file"/> is on the server: its manifest path under the backup's URL, each segment
    /// escaped.</summary>
    public Uri UrlOf(BackupFile file) => UrlOf(backupUrl, file.File);

    public static Uri UrlOf(Uri backupUrl, string file) =>
        new(backupUrl, string.Join('/', file.Split('/').Select(Uri.EscapeDataString)));

    private string Staged(BackupFile file) => Path.Combine(stagingDirectory, file.File);
}
