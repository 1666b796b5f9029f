using System.Net;
using System.Net.Sockets;
using RescueKit.Core;
using RescueKit.Net.Http;
using RescueKit.Tests.Shared;
using Serilog;

namespace RescueKit.Net.Tests;

/// <summary>HttpFetcher on 127.0.0.1 against the project's own HTTP server and a server that drops connections.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class HttpFetcherTests
{
    private static readonly FetchSettings Quick = new() { FirstDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(10) };
    private ServedScratch _scratch = null!;
    private HttpServer _server = null!;
    private HttpFetcher _fetcher = null!;
    private byte[] _content = null!;
    private string _out = null!;

    [SetUp]
    public void SetUp()
    {
        _scratch = new ServedScratch();
        _content = _scratch.File("rescuekit/host1/initrd.img", 3_000_017);
        _server = new HttpServer(new HttpServerSettings(IPAddress.Loopback, 0, _scratch.Served), new TransferCounter(),
            new LoggerConfiguration().CreateLogger());
        _fetcher = new HttpFetcher(Quick, new LoggerConfiguration().CreateLogger());
        Directory.CreateDirectory(Path.Combine(_scratch.Root, "out"));
        _out = Path.Combine(_scratch.Root, "out", "initrd.img");
    }

    [TearDown]
    public void TearDown()
    {
        _fetcher.Dispose();
        _server.Dispose();
        _scratch.Dispose();
    }

    private string[] OutDirectory() => Directory.GetFiles(Path.GetDirectoryName(_out)!).Select(Path.GetFileName).ToArray()!;

    [Test]
    public void FetchWritesTheFileWithItsHashAndReportsProgress()
    {
        var seen = new List<(long Read, long? Total)>();
        var sha = _fetcher.FetchFile(new Uri($"http://127.0.0.1:{_server.Port}/rescuekit/host1/initrd.img"), ServedScratch.Sha(_content),
            _out, (r, t) => seen.Add((r, t)), CancellationToken.None);
        Assert.That(sha, Is.EqualTo(ServedScratch.Sha(_content)));
        Assert.That(File.ReadAllBytes(_out), Is.EqualTo(_content));
        Assert.That(OutDirectory(), Is.EqualTo(new[] { "initrd.img" }), "no staging file left");
        Assert.That(seen[^1], Is.EqualTo(((long)_content.Length, (long?)_content.Length)));
    }

    [Test]
    public void ADroppedConnectionResumesWithARangeAndCompletesWithTheRightHash()
    {
        using var dropping = new DroppingHttpServer(_content, drops: 2, cutAfter: 1_000_000);
        var sha = _fetcher.FetchFile(new Uri($"http://127.0.0.1:{dropping.Port}/initrd.img"), ServedScratch.Sha(_content), _out, null,
            CancellationToken.None);
        Assert.That(sha, Is.EqualTo(ServedScratch.Sha(_content)));
        Assert.That(File.ReadAllBytes(_out), Is.EqualTo(_content));
        Assert.That(dropping.RangeStarts, Is.EqualTo(new long[] { 0, 1_000_000, 2_000_000 }), "each retry resumes where the last one ended");
    }

    [Test]
    public void TooManyDropsFailAfterTheBoundedAttemptsWithNoFileLeft()
    {
        using var dropping = new DroppingHttpServer(_content, drops: 100, cutAfter: 100_000);
        var e = Assert.Throws<RescueKitException>(() => _fetcher.FetchFile(new Uri($"http://127.0.0.1:{dropping.Port}/initrd.img"), null,
            _out, null, CancellationToken.None))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(e.Message, Does.Contain($"after {Quick.Attempts} attempts"));
        Assert.That(dropping.RangeStarts, Has.Count.EqualTo(Quick.Attempts));
        Assert.That(OutDirectory(), Is.Empty);
    }

    [Test]
    public void AHashMismatchDeletesTheStagingFileAndWritesNoFile()
    {
        var wrong = new string('0', 64);
        var e = Assert.Throws<FetchHashMismatchException>(() => _fetcher.FetchFile(
            new Uri($"http://127.0.0.1:{_server.Port}/rescuekit/host1/initrd.img"), wrong, _out, null, CancellationToken.None))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.CheckFailed));
        Assert.That(e.Message, Does.Contain(ServedScratch.Sha(_content)).And.Contain(wrong));
        Assert.That(OutDirectory(), Is.Empty);
    }

    [Test]
    public void NotFoundIsOneLineNamingTheUrl()
    {
        var url = $"http://127.0.0.1:{_server.Port}/rescuekit/nohost/initrd.img";
        var e = Assert.Throws<FetchNotFoundException>(() => _fetcher.FetchFile(new Uri(url), null, _out, null, CancellationToken.None))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.StartWith(url).And.Contain("404").And.Not.Contain("\n"));
        Assert.That(OutDirectory(), Is.Empty);
    }

    [Test]
    public void ARefusedConnectionNamesTheUrlAndTheFix()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; }
        var url = $"http://127.0.0.1:{port}/x";
        var e = Assert.Throws<RescueKitException>(() => _fetcher.FetchFile(new Uri(url), null, _out, null, CancellationToken.None))!;
        Assert.That(e.Message, Does.StartWith(url).And.Contain("connection refused").And.Contain("start the HTTP server"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.Failed));
    }

    [Test]
    public void TftpIsRefusedWithWhatToUseInstead()
    {
        var e = Assert.Throws<BadInputException>(() => HttpFetcher.ParseUrl("tftp://10.0.2.2/x", "URL"))!;
        Assert.That(e.Message, Does.Contain("tftp:// is not supported").And.Contain("http://"));
    }
}
