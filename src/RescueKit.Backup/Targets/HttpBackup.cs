using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Net.Http;
using Serilog;

namespace RescueKit.Backup.Targets;

/// <summary>
/// A backup read straight from a web server (<c>rescuekit serve --backups DIR</c>, nginx): given the URL of its own
/// directory, <c>http://HOST[:PORT]/backups/HOST/ID/</c>. Its small files — manifest.json, layout.json and the
/// catalog — are fetched once into a private staging directory, each of the last two checked against the SHA-256 the
/// manifest holds; that directory is the set's <see cref="BackupSet.Directory"/>, so what reads the layout or the
/// catalog reads them as from any backup. The chunks are streamed (<see cref="HttpChunkSource"/>), never stored. The
/// bases of an incremental are the sibling URLs. Disposing removes the staging directory.
/// </summary>
public sealed class HttpBackup : IDisposable
{
    private readonly HttpFetcher _fetcher;
    private readonly string _staging;
    private readonly string _name;
    private readonly CancellationToken _cancellationToken;
    // Each backup of the chain is fetched once, however often the chain is followed.
    private readonly Dictionary<string, BackupSet> _opened = new(StringComparer.Ordinal);

    private HttpBackup(HttpFetcher fetcher, string staging, string name, CancellationToken cancellationToken)
    {
        _fetcher = fetcher;
        _staging = staging;
        _name = name;
        _cancellationToken = cancellationToken;
    }

    public BackupSet Set { get; private set; } = null!;

    public static bool IsHttp(string reference) =>
        reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <param name="reference">The backup's URL (http:// only; https:// is refused by <see cref="HttpFetcher.ParseUrl"/>).</param>
    /// <param name="name">What the reference is called in messages.</param>
    public static HttpBackup Open(string reference, string name, ILogger log, CancellationToken cancellationToken, FetchSettings? settings = null)
    {
        var url = HttpFetcher.ParseUrl(reference, name);
        // A directory's URL: the files are named relative to it.
        if (!url.AbsolutePath.EndsWith('/')) url = new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;
        var fetcher = new HttpFetcher(settings ?? new FetchSettings(), log);
        var staging = System.IO.Directory.CreateTempSubdirectory("rescuekit-http-").FullName;
        var backup = new HttpBackup(fetcher, staging, name, cancellationToken);
        try
        {
            backup.Set = backup.OpenSet(url);
            return backup;
        }
        catch
        {
            backup.Dispose();
            throw;
        }
    }

    private BackupSet OpenSet(Uri url)
    {
        var id = Uri.UnescapeDataString(url.AbsolutePath.TrimEnd('/').Split('/')[^1]);
        if (id.Length == 0 || id is "." or "..")
            throw new BadInputException($"{_name} {url} names a server, not a backup: give http://HOST[:PORT]/backups/HOST/ID/ (the backup's own directory)");
        if (_opened.TryGetValue(id, out var known)) return known;
        var directory = Path.Combine(_staging, id);
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            _fetcher.FetchFile(HttpChunkSource.UrlOf(url, BackupSetNames.Manifest), null, Path.Combine(directory, BackupSetNames.Manifest), null,
                _cancellationToken);
        }
        catch (FetchNotFoundException)
        {
            throw new BadInputException(
                $"{_name} {url}: no backup there: the server has no {BackupSetNames.Manifest} at that URL (404); give the URL of a " +
                "backup's own directory, http://HOST[:PORT]/backups/HOST/ID/ as served by 'rescuekit serve --backups DIR'");
        }
        var set = BackupSet.Open(directory);
        var manifest = set.Manifest;
        var small = new[] { manifest.Layout, manifest.Catalog };
        foreach (var file in small) Stage(url, directory, file);
        return _opened[id] = set with
        {
            Files = new HttpChunkSource(_fetcher, url, directory, small.Select(f => f.File).ToHashSet(StringComparer.Ordinal), _cancellationToken),
            Origin = url.ToString(),
            OpenBase = baseId => OpenSet(new Uri(url, $"../{Uri.EscapeDataString(baseId)}/")),
        };
    }

    /// <summary>One small file fetched into the staging directory, checked against the manifest's SHA-256.</summary>
    private void Stage(Uri url, string directory, BackupFile file)
    {
        var local = Path.GetFullPath(Path.Combine(directory, file.File));
        if (!local.StartsWith(directory + "/", StringComparison.Ordinal))
            throw new RescueKitException($"backup {url}: its manifest names {file.File}, outside the backup", ExitCodes.CheckFailed);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        try
        {
            _fetcher.FetchFile(HttpChunkSource.UrlOf(url, file.File), file.Sha256, local, null, _cancellationToken);
        }
        catch (FetchNotFoundException e)
        {
            throw new RescueKitException($"backup {url} is damaged: its {file.File} is missing on the server (404 for {e.Url})", ExitCodes.CheckFailed);
        }
    }

    public void Dispose()
    {
        _fetcher.Dispose();
        try
        {
            System.IO.Directory.Delete(_staging, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
