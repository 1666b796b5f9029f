using System.Net;
using RescueKit.Net.Http;
using RescueKit.Tests.Shared;
using Serilog;

namespace RescueKit.Net.Tests;

/// <summary>The HTTP server against curl on 127.0.0.1: whole files, ranges, HEAD, validators, keep-alive, confinement.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class HttpServerTests
{
    private ServedScratch _scratch = null!;
    private HttpServer _server = null!;
    private byte[] _content = null!;
    private string _backups = null!;

    [SetUp]
    public void SetUp()
    {
        _scratch = new ServedScratch();
        _content = _scratch.File("rescuekit/host1/initrd.img", 3_000_017);
        _backups = Path.Combine(_scratch.Root, "backups");
        Directory.CreateDirectory(Path.Combine(_backups, "host1"));
        File.WriteAllText(Path.Combine(_backups, "host1", "manifest.json"), "{\"format\":1}\n");
        Directory.CreateSymbolicLink(Path.Combine(_scratch.Served, "escape"), "/etc");
        _server = new HttpServer(new HttpServerSettings(IPAddress.Loopback, 0, _scratch.Served) { Backups = _backups },
            new TransferCounter(), new LoggerConfiguration().CreateLogger());
    }

    [TearDown]
    public void TearDown()
    {
        _server.Dispose();
        _scratch.Dispose();
    }

    private string Url(string path) => $"http://127.0.0.1:{_server.Port}{path}";

    /// <summary>curl's status code, with the response headers (-D) and body written beside the scratch tree.</summary>
    private (int Status, string Headers, byte[] Body) Curl(params string[] args)
    {
        var headers = Path.Combine(_scratch.Root, "headers");
        var body = Path.Combine(_scratch.Root, "body");
        File.Delete(body);
        var status = ExternalTool.RunOk("curl", "curl", ["-sS", "--path-as-is", "-D", headers, "-o", body, "-w", "%{http_code}", .. args], timeoutSeconds: 60);
        return (int.Parse(status), File.ReadAllText(headers), File.Exists(body) ? File.ReadAllBytes(body) : []);
    }

    [Test]
    public void GetSendsTheWholeFileWithItsLengthAndValidators()
    {
        var (status, headers, body) = Curl(Url("/rescuekit/host1/initrd.img"));
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body, Is.EqualTo(_content));
        Assert.That(headers, Does.Contain($"Content-Length: {_content.Length}"));
        Assert.That(headers, Does.Contain("ETag: \"").And.Contain("Last-Modified: "));
    }

    [Test]
    public void HeadSendsTheHeadersOnly()
    {
        var (status, headers, body) = Curl("-I", Url("/rescuekit/host1/initrd.img"));
        Assert.That(status, Is.EqualTo(200));
        Assert.That(headers, Does.Contain($"Content-Length: {_content.Length}"));
        // curl -I writes the head to the output too: nothing may follow it.
        Assert.That(System.Text.Encoding.ASCII.GetString(body), Is.EqualTo(headers));
    }

    [TestCase("1000-1999", 1000, 1999)]
    [TestCase("2999000-", 2999000, 3000016)]
    [TestCase("-17", 3000000, 3000016)]
    [TestCase("3000000-99999999", 3000000, 3000016)]
    public void ARangeGets206AndExactlyThoseBytes(string range, int first, int last)
    {
        var (status, headers, body) = Curl("-r", range, Url("/rescuekit/host1/initrd.img"));
        Assert.That(status, Is.EqualTo(206));
        Assert.That(headers, Does.Contain($"Content-Range: bytes {first}-{last}/{_content.Length}"));
        Assert.That(body, Is.EqualTo(_content[first..(last + 1)]));
    }

    [Test]
    public void ARangePastTheEndGets416()
    {
        var (status, headers, _) = Curl("-r", "5000000-", Url("/rescuekit/host1/initrd.img"));
        Assert.That(status, Is.EqualTo(416));
        Assert.That(headers, Does.Contain($"Content-Range: bytes */{_content.Length}"));
    }

    [Test]
    public void AMatchingETagOrDateGets304AndAStaleOneTheFile()
    {
        var (_, headers, _) = Curl("-I", Url("/rescuekit/host1/initrd.img"));
        var etag = headers.Split("\r\n").Single(l => l.StartsWith("ETag: ", StringComparison.Ordinal))[6..];
        var modified = headers.Split("\r\n").Single(l => l.StartsWith("Last-Modified: ", StringComparison.Ordinal))[15..];
        Assert.That(Curl("-H", $"If-None-Match: {etag}", Url("/rescuekit/host1/initrd.img")).Status, Is.EqualTo(304));
        Assert.That(Curl("-H", $"If-Modified-Since: {modified}", Url("/rescuekit/host1/initrd.img")).Status, Is.EqualTo(304));
        var stale = Curl("-H", "If-None-Match: \"other\"", Url("/rescuekit/host1/initrd.img"));
        Assert.That(stale.Status, Is.EqualTo(200));
        Assert.That(stale.Body, Is.EqualTo(_content));
    }

    [Test]
    public void KeepAliveServesSeveralRequestsOnOneConnection()
    {
        var r = ExternalTool.Run("curl", "curl", ["-sS", "-v", "-o", "/dev/null", "-o", "/dev/null",
            Url("/rescuekit/host1/initrd.img"), Url("/backups/host1/manifest.json")], timeoutSeconds: 60);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("Re-using existing connection").Or.Contain("Reusing existing connection"));
    }

    [Test]
    public void TheBackupsTreeIsServedUnderBackups()
    {
        var (status, _, body) = Curl(Url("/backups/host1/manifest.json"));
        Assert.That(status, Is.EqualTo(200));
        Assert.That(System.Text.Encoding.ASCII.GetString(body), Is.EqualTo("{\"format\":1}\n"));
    }

    [TestCase("/../../etc/passwd", 403)]
    [TestCase("/rescuekit/%2e%2e/%2e%2e/etc/passwd", 403)]
    [TestCase("/escape/passwd", 403)]
    [TestCase("/rescuekit/host1/", 404)]
    [TestCase("/rescuekit", 404)]
    [TestCase("/nothing-here", 404)]
    public void PathsStayInsideTheRootAndDirectoriesAreNotListed(string path, int expected)
    {
        var (status, _, body) = Curl(Url(path));
        Assert.That(status, Is.EqualTo(expected));
        Assert.That(System.Text.Encoding.ASCII.GetString(body), Does.Not.Contain("root:"));
    }

    [Test]
    public void ManyParallelClientsAndNothingLeaks()
    {
        var bodies = new byte[20][];
        // curl processes as the clients, so every descriptor this process holds is the server's.
        void Round() => Parallel.For(0, 20, i =>
        {
            var output = Path.Combine(_scratch.Root, $"out{i}");
            ExternalTool.RunOk("curl", "curl", ["-sS", "-o", output, Url("/rescuekit/host1/initrd.img")], timeoutSeconds: 60);
            bodies[i] = File.ReadAllBytes(output);
        });
        Round();
        ServedScratch.Eventually(() => _server.Connections == 0, "the first round's connections closing");
        var baseline = _scratch.ServerDescriptors();
        Round();
        Assert.That(bodies.All(b => b.AsSpan().SequenceEqual(_content)));
        ServedScratch.Eventually(() => _server.Counter.Active == 0 && _server.Connections == 0, "every connection closing");
        ServedScratch.Eventually(() => _scratch.ServerDescriptors() <= baseline, $"descriptors back to {baseline}");
    }
}
