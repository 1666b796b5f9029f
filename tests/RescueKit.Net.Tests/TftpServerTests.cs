using System.Net;
using RescueKit.Host.Native;
using RescueKit.Net.Tftp;
using RescueKit.Tests.Shared;

namespace RescueKit.Net.Tests;

/// <summary>The TFTP server against the real clients (tftp-hpa, atftp, curl) and the tests' own misbehaving client,
/// all on 127.0.0.1.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class TftpServerTests
{
    private ServedScratch _scratch = null!;

    [SetUp] public void SetUp() => _scratch = new ServedScratch();
    [TearDown] public void TearDown() => _scratch.Dispose();

    private string Fetched(string name) => Path.Combine(_scratch.Root, name);

    [Test]
    public void TftpHpaClientGetsAFileInLockStep()
    {
        var content = _scratch.File("boot/pxelinux.0", 300_001);
        using var server = _scratch.Tftp();
        ExternalTool.RunOk("tftp", "tftp-hpa", ["-m", "binary", "127.0.0.1", server.Port.ToString(), "-c", "get", "boot/pxelinux.0", Fetched("out")], timeoutSeconds: 60);
        Assert.That(ServedScratch.Sha(File.ReadAllBytes(Fetched("out"))), Is.EqualTo(ServedScratch.Sha(content)));
    }

    [Test]
    public void AtftpGetsAFileWithBlksizeTsizeAndWindowsize()
    {
        var content = _scratch.File("initrd.img", 4_000_000);
        using var server = _scratch.Tftp();
        var r = ExternalTool.RunOk("atftp", "atftp", ["--trace", "--option", "blksize 1468", "--option", "tsize 0", "--option", "windowsize 16",
            "-g", "-r", "initrd.img", "-l", Fetched("out"), "127.0.0.1", server.Port.ToString()], timeoutSeconds: 60);
        Assert.That(ServedScratch.Sha(File.ReadAllBytes(Fetched("out"))), Is.EqualTo(ServedScratch.Sha(content)));
    }

    [Test]
    public void CurlGetsAFileWithBlksizeAndTsize()
    {
        var content = _scratch.File("vmlinuz", 2_000_003);
        using var server = _scratch.Tftp();
        ExternalTool.RunOk("curl", "curl", ["-sS", "--tftp-blksize", "1468", "-o", Fetched("out"), $"tftp://127.0.0.1:{server.Port}/vmlinuz"], timeoutSeconds: 60);
        Assert.That(ServedScratch.Sha(File.ReadAllBytes(Fetched("out"))), Is.EqualTo(ServedScratch.Sha(content)));
    }

    [Test]
    public void OackCarriesTheNegotiatedOptions()
    {
        _scratch.File("f", 10_000);
        using var server = _scratch.Tftp(new TftpServerSettings(IPAddress.Loopback, 0) { MaxWindowSize = 8 });
        var client = new TestTftpClient(server.Port);
        client.Get("f", ("blksize", "100000"), ("tsize", "0"), ("windowsize", "32"), ("bogus", "1"));
        Assert.That(client.Oack, Is.EquivalentTo(new Dictionary<string, string>
            { ["blksize"] = "65464", ["tsize"] = "10000", ["windowsize"] = "8" }));
    }

    [TestCase(DatagramBatching.Segmented)]
    [TestCase(DatagramBatching.Single)]
    public void BlockNumbersRollOverPast65535(DatagramBatching batching)
    {
        // 70,000 blocks of 16 bytes plus a short one: the block number wraps to 0 once.
        var content = _scratch.File("big", 70_000 * 16 + 5);
        using var server = _scratch.Tftp(new TftpServerSettings(IPAddress.Loopback, 0) { Batching = batching });
        var client = new TestTftpClient(server.Port);
        var got = client.Get("big", ("blksize", "16"), ("windowsize", "32"));
        Assert.That(got, Is.EqualTo(content));
        Assert.That(client.Seen.Keys.Max(), Is.EqualTo(70_001));
    }

    [TestCase(DatagramBatching.Segmented)]
    [TestCase(DatagramBatching.Batched)]
    [TestCase(DatagramBatching.Single)]
    public void ALostPacketIsSentAgainAndTheFileArrivesWhole(DatagramBatching batching)
    {
        var content = _scratch.File("f", 200_000);
        using var server = _scratch.Tftp(new TftpServerSettings(IPAddress.Loopback, 0) { Timeout = TimeSpan.FromMilliseconds(200), Batching = batching });
        var lockStep = new TestTftpClient(server.Port) { Drop = (index, seen) => index % 50 == 0 && seen == 1 };
        Assert.That(lockStep.Get("f"), Is.EqualTo(content));
        var windowed = new TestTftpClient(server.Port) { Drop = (index, seen) => index % 37 == 0 && seen == 1 };
        Assert.That(windowed.Get("f", ("blksize", "1024"), ("windowsize", "8")), Is.EqualTo(content));
        Assert.That(windowed.Seen[37], Is.GreaterThanOrEqualTo(2), "the lost block was sent again");
    }

    [TestCase(DatagramBatching.Segmented)]
    [TestCase(DatagramBatching.Single)]
    public void AFileOfWholeWindows_EndsWithAnEmptyBlock_ThroughLossesInTheWindowReadAhead(DatagramBatching batching)
    {
        // Five windows of 8 blocks of 1024 bytes exactly: the window read ahead of the fifth's ACK is one empty block.
        // Losses in the fourth and fifth windows make the server give back what it read ahead and read it again.
        var content = _scratch.File("f", 5 * 8 * 1024);
        using var server = _scratch.Tftp(new TftpServerSettings(IPAddress.Loopback, 0) { Timeout = TimeSpan.FromMilliseconds(200), Batching = batching });
        var client = new TestTftpClient(server.Port) { Drop = (index, seen) => index is 27 or 35 or 40 && seen == 1 };

        Assert.That(client.Get("f", ("blksize", "1024"), ("windowsize", "8")), Is.EqualTo(content));
        Assert.That(client.Seen.Keys.Max(), Is.EqualTo(41), "the empty block after the last whole one");
        Assert.That(client.Seen[27], Is.GreaterThanOrEqualTo(2));
        Assert.That(client.Seen[40], Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void DuplicateAcksCauseNoDuplicateData()
    {
        var content = _scratch.File("f", 100_000);
        using var server = _scratch.Tftp();
        var client = new TestTftpClient(server.Port) { DuplicateAcks = true };
        Assert.That(client.Get("f"), Is.EqualTo(content));
        Assert.That(client.Seen.Where(s => s.Value > 1).Select(s => s.Key), Is.Empty, "blocks sent twice (Sorcerer's Apprentice)");
    }

    [Test]
    public void AClientThatStopsAcknowledgingIsGivenUpAndFreed()
    {
        _scratch.File("f", 100_000);
        var settings = new TftpServerSettings(IPAddress.Loopback, 0) { Timeout = TimeSpan.FromMilliseconds(500), Retries = 3 };
        using var server = _scratch.Tftp(settings);
        TransferRecord? record = null;
        server.Counter.Finished += r => record = r;
        var client = new TestTftpClient(server.Port) { StopAcknowledgingAfter = 10 };
        client.Get("f");
        Assert.That(client.Error?.Message, Does.StartWith("timed out"), "the server says why it gave up");
        ServedScratch.Eventually(() => server.Counter.Active == 0 && server.Threads == 0, "the transfer ending");
        Assert.That(record!.Result, Does.StartWith("timed out"));
        Assert.That(client.Seen[11], Is.EqualTo(1 + settings.Retries), "block 11 sent once and then once per retry");
    }

    [TestCase("../../etc/passwd", 2)]
    [TestCase("/../etc/passwd", 2)]
    [TestCase("/etc/passwd", 1)]
    [TestCase("escape/passwd", 2)]
    [TestCase("outside", 2)]
    [TestCase("sub", 1)]
    public void PathsStayInsideTheRoot(string request, int code)
    {
        Directory.CreateDirectory(Path.Combine(_scratch.Served, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(_scratch.Served, "escape"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_scratch.Served, "outside"), "/etc/passwd");
        using var server = _scratch.Tftp();
        var client = new TestTftpClient(server.Port);
        Assert.That(client.Get(request), Is.Empty);
        Assert.That(client.Error?.Code, Is.EqualTo(code), client.Error?.Message);
    }

    [Test]
    public void ASymlinkInsideTheRootIsServed()
    {
        var content = _scratch.File("real/file", 1000);
        File.CreateSymbolicLink(Path.Combine(_scratch.Served, "link"), "real/file");
        using var server = _scratch.Tftp();
        Assert.That(new TestTftpClient(server.Port).Get("link"), Is.EqualTo(content));
    }

    [Test]
    public void AWriteRequestIsRefusedWithAnError()
    {
        using var server = _scratch.Tftp();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.ReceiveTimeout = 2000;
        var wrq = TftpRequest.Rrq("new-file", []);
        wrq[1] = (byte)TftpOpcode.Wrq;
        socket.SendTo(wrq, new IPEndPoint(IPAddress.Loopback, server.Port));
        var buffer = new byte[600];
        var n = socket.Receive(buffer);
        Assert.That(TftpPackets.Opcode(buffer.AsSpan(0, n)), Is.EqualTo(TftpOpcode.Error));
        Assert.That(TftpPackets.ReadError(buffer.AsSpan(0, n)).Code, Is.EqualTo(TftpErrorCode.AccessViolation));
        Assert.That(File.Exists(Path.Combine(_scratch.Served, "new-file")), Is.False);
    }

    [Test]
    public void FiftyConcurrentClientsAllGetTheirFileAndNothingLeaks()
    {
        var content = _scratch.File("f", 1_000_000);
        using var server = _scratch.Tftp();
        // Warm up once so lazily created runtime descriptors are in the baseline.
        new TestTftpClient(server.Port).Get("f", ("blksize", "1468"));
        ServedScratch.Eventually(() => server.Counter.Active == 0, "the warm-up ending");
        var baseline = _scratch.ServerDescriptors();
        var results = new byte[50][];
        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 50 }, i =>
            results[i] = new TestTftpClient(server.Port) { Timeout = TimeSpan.FromSeconds(1) }.Get("f", ("blksize", "1468"), ("windowsize", "4")));
        Assert.That(results.All(r => r.AsSpan().SequenceEqual(content)), "every client got the whole file");
        ServedScratch.Eventually(() => server.Counter.Active == 0 && server.Threads == 0, "every transfer ending");
        ServedScratch.Eventually(() => _scratch.ServerDescriptors() <= baseline, $"descriptors back to {baseline}");
    }
}
