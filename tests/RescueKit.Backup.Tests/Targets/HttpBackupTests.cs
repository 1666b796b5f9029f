using System.Net;
using RescueKit.Backup.Archive;
using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Backup.Tests.Sets;
using RescueKit.Core;
using RescueKit.Net;
using RescueKit.Net.Http;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Targets;

/// <summary>
/// A backup read straight over HTTP on 127.0.0.1 (issue 11): served by the project's own HTTP server as
/// `rescuekit serve --backups` serves it, or by a server that drops connections. Extracting gives what extracting
/// from the directory gives, with no chunk stored locally; a corrupted or missing chunk is named; a dropped connection
/// mid-chunk is resumed with a range; a URL with no backup is bad input.
/// </summary>
[Parallelizable(ParallelScope.None)]
public sealed class HttpBackupTests
{
    private static readonly FetchSettings Quick = new() { FirstDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(10) };
    private BackupScratch _scratch = null!;
    private HttpServer _server = null!;

    [SetUp]
    public void SetUp()
    {
        _scratch = new BackupScratch();
        _scratch.Write("random.bin", BackupScratch.Random(3 << 20));
        _scratch.Write("etc/hosts", "127.0.0.1 localhost\n"u8.ToArray());
        var root = System.IO.Directory.CreateDirectory(Path.Combine(_scratch.Directory, "pxe")).FullName;
        System.IO.Directory.CreateDirectory(_scratch.Target);
        _server = new HttpServer(new HttpServerSettings(IPAddress.Loopback, 0, root) { Backups = _scratch.Target }, new TransferCounter(),
            Serilog.Core.Logger.None);
    }

    [TearDown]
    public void TearDown()
    {
        _server.Dispose();
        _scratch.Dispose();
    }

    private BackupSet Backup(string? since = null, int minutes = 0) =>
        _scratch.Backup(_scratch.Request(SetCompression.Zstd, 1 << 20, since: since, started: DateTimeOffset.UtcNow.AddMinutes(minutes)));

    private static string UrlOf(int port, BackupSet backup) => $"http://127.0.0.1:{port}/backups/{BackupScratch.Host}/{backup.Name}/";

    private static HttpBackup Open(string url) => HttpBackup.Open(url, "BACKUP", Serilog.Core.Logger.None, CancellationToken.None, Quick);

    private string Extract(BackupSet backup, string name)
    {
        var to = Path.Combine(_scratch.Directory, name);
        new BackupExtractor(Serilog.Core.Logger.None).Extract(backup, "data", to, null, new ExtractOptions { RestoreOwners = false }, default);
        return to;
    }

    private static Dictionary<string, string> Tree(string root) =>
        System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(root, f), f => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    [Test]
    public void AnIncremental_ExtractedOverHttp_IsTheTreeFromTheDirectory_AndNoChunkIsStored()
    {
        var full = Backup();
        _scratch.Write("etc/added", "new\n"u8.ToArray());
        File.Delete(Path.Combine(_scratch.Source, "etc", "hosts"));
        var incremental = Backup(since: full.Directory, minutes: 1);
        Assert.That(full.Manifest.Sets[0].Chunks, Has.Count.GreaterThanOrEqualTo(3), "several chunks to stream");

        using var http = Open(UrlOf(_server.Port, incremental));
        var fromHttp = Extract(http.Set, "from-http");
        var fromDirectory = Extract(incremental, "from-directory");

        Assert.That(Tree(fromHttp), Is.EqualTo(Tree(fromDirectory)).And.ContainKey("etc/added").And.Not.ContainKey("etc/hosts"));
        Assert.That(http.Set.Origin, Is.EqualTo(UrlOf(_server.Port, incremental)));
        Assert.That(http.Set.Chain().Select(b => b.Origin), Is.EqualTo(new[] { UrlOf(_server.Port, full), UrlOf(_server.Port, incremental) }));
        var staged = System.IO.Directory.GetParent(http.Set.Directory)!.FullName;
        Assert.That(System.IO.Directory.GetFiles(staged, "*", SearchOption.AllDirectories).Select(Path.GetFileName),
            Has.None.Contains(".tar."), "the chunks were streamed, not stored");
        var report = new BackupVerifier(Serilog.Core.Logger.None).Verify(http.Set, null, default);
        Assert.That(report.Faults, Is.Empty);
        Assert.That(report.Members, Is.EqualTo(incremental.Manifest.Sets[0].ArchivedEntries));
        http.Dispose();
        Assert.That(System.IO.Directory.Exists(staged), Is.False, "the staging directory goes with the backup");
    }

    [Test]
    public void ACorruptedChunkOnTheServer_FailsTheExtractAndTheVerify_NamingTheChunk()
    {
        var backup = Backup();
        var chunk = backup.Manifest.Sets[0].Chunks[1];
        var path = Path.Combine(backup.Directory, chunk.File);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var url = UrlOf(_server.Port, backup);

        using var http = Open(url);
        var e = Assert.Throws<RescueKitException>(() => Extract(http.Set, "restored"))!;

        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(e.Message, Does.Contain($"chunk {chunk.File} has the wrong SHA-256 (corrupted)").And.Contain($"rescuekit verify {url}"));
        var report = new BackupVerifier(Serilog.Core.Logger.None).Verify(http.Set, null, default);
        Assert.That(report.Faults, Is.EqualTo(new[] { $"chunk {chunk.File} has the wrong SHA-256 (corrupted)" }));
    }

    [Test]
    public void AMissingChunk_IsNamedAsMissingOnTheServer()
    {
        var backup = Backup();
        var chunk = backup.Manifest.Sets[0].Chunks[^1];
        File.Delete(Path.Combine(backup.Directory, chunk.File));

        using var http = Open(UrlOf(_server.Port, backup));
        var report = new BackupVerifier(Serilog.Core.Logger.None).Verify(http.Set, null, default);

        Assert.That(report.Faults, Is.EqualTo(new[] { $"chunk {chunk.File} is missing" }));
        var e = Assert.Throws<RescueKitException>(() => Extract(http.Set, "restored"))!;
        Assert.That(e.Message, Does.Contain($"chunk {chunk.File} is missing on the server (404"));
    }

    [Test]
    public void AConnectionDroppedMidChunk_IsResumedFromTheByteReached()
    {
        var backup = Backup();
        var chunk = backup.Manifest.Sets[0].Chunks[1];
        var prefix = $"/backups/{BackupScratch.Host}/{backup.Name}/";
        byte[]? BodyOf(string path)
        {
            var file = Path.Combine(backup.Directory, path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : "\0");
            return File.Exists(file) ? File.ReadAllBytes(file) : null;
        }
        using var dropping = new DroppingHttpServer(BodyOf, drops: 2, cutAfter: 300_000, dropPath: prefix + chunk.File);

        using var http = Open(UrlOf(dropping.Port, backup));
        var restored = Extract(http.Set, "restored");

        Assert.That(Tree(restored), Is.EqualTo(Tree(_scratch.Source)));
        Assert.That(dropping.Gets.Where(g => g.Path == prefix + chunk.File).Select(g => g.From), Is.EqualTo(new long[] { 0, 300_000, 600_000 }),
            "each retry resumes where the dropped connection ended");
    }

    [Test]
    public void AUrlWithNoBackup_IsBadInputNamingIt()
    {
        var url = $"http://127.0.0.1:{_server.Port}/backups/{BackupScratch.Host}/2026-01-01T000000Z/";

        var e = Assert.Throws<BadInputException>(() => Open(url))!;

        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.StartWith($"BACKUP {url}: no backup there").And.Contain("404").And.Not.Contain("\n"));
        Assert.That(System.IO.Directory.GetDirectories(Path.GetTempPath(), "rescuekit-http-*").SelectMany(System.IO.Directory.GetDirectories)
            .Select(Path.GetFileName), Does.Not.Contain("2026-01-01T000000Z"), "no staging directory is left");
    }

    [Test]
    public void Https_IsRefusedSayingWhy()
    {
        var e = Assert.Throws<BadInputException>(() => Open("https://10.0.2.2/backups/h/id/"))!;
        Assert.That(e.Message, Does.Contain("https:// is not supported").And.Contain("CA certificates").And.Contain("http://"));
    }
}
