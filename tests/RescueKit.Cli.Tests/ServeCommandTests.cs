using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>`rescuekit serve` as a user runs it: bad input gets one line and exit 4; a real serve answers curl over
/// HTTP and TFTP on 127.0.0.1, logs one line per transfer and stops cleanly on SIGTERM.</summary>
[TestFixture]
public sealed class ServeCommandTests
{
    private static int FreePort(SocketType type)
    {
        using var s = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    [Test]
    public void AMissingRootIsBadInput()
    {
        var r = Rescuekit.Run("serve", "--root", "/nonexistent/pxe", "--tftp-port", "0", "--http-port", "18099");
        Assert.That(r.ExitCode, Is.EqualTo(4), r.Stderr);
        Assert.That(r.Stderr.Trim(), Is.EqualTo("rescuekit: error: --root /nonexistent/pxe is not a directory: give the PXE tree to serve"));
    }

    [Test]
    public void ABindAddressNotOfThisMachineIsBadInput()
    {
        var r = Rescuekit.Run("serve", "--root", "/tmp", "--bind", "203.0.113.7", "--tftp-port", "0", "--http-port", "18099");
        Assert.That(r.ExitCode, Is.EqualTo(4), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("--bind 203.0.113.7 is not an address of this machine"));
    }

    [Test]
    public void APortInUseIsBadInput()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var r = Rescuekit.Run("serve", "--root", "/tmp", "--bind", "127.0.0.1", "--tftp-port", "0", "--http-port", port.ToString());
        Assert.That(r.ExitCode, Is.EqualTo(4), r.Stderr);
        Assert.That(r.Stderr.Trim(), Is.EqualTo($"rescuekit: error: HTTP port {port} on 127.0.0.1 is already in use: stop the server holding it or choose another with --http-port"));
    }

    [Test]
    public void ServesHttpAndTftpLogsEachTransferAndStopsOnSigterm()
    {
        var root = Directory.CreateTempSubdirectory("rk-serve-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "boot.ipxe"), "#!ipxe\nchain http://example.invalid/\n");
            var httpPort = FreePort(SocketType.Stream);
            var tftpPort = FreePort(SocketType.Dgram);
            var psi = new ProcessStartInfo(Rescuekit.Binary, ["serve", "--root", root, "--bind", "127.0.0.1",
                "--tftp-port", tftpPort.ToString(), "--http-port", httpPort.ToString()])
            { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var serve = Process.Start(psi)!;
            var stderr = serve.StandardError.ReadToEndAsync();
            var stdout = serve.StandardOutput.ReadToEndAsync();
            string http = "";
            for (var i = 0; i < 50; i++)
            {
                var r = ExternalTool.Run("curl", "curl", ["-sS", $"http://127.0.0.1:{httpPort}/boot.ipxe"], timeoutSeconds: 30);
                if (r.ExitCode == 0) { http = r.Stdout; break; }
                Thread.Sleep(100);
            }
            Assert.That(http, Does.StartWith("#!ipxe"));
            var tftp = ExternalTool.RunOk("curl", "curl", ["-sS", $"tftp://127.0.0.1:{tftpPort}/boot.ipxe"], timeoutSeconds: 30);
            Assert.That(tftp, Does.StartWith("#!ipxe"));
            Process.Start("kill", ["-TERM", serve.Id.ToString()])!.WaitForExit();
            Assert.That(serve.WaitForExit(TimeSpan.FromSeconds(20)), "serve stops on SIGTERM");
            Assert.That(serve.ExitCode, Is.EqualTo(0), stderr.Result);
            Assert.That(stderr.Result, Does.Match(@"http 127\.0\.0\.1:\d+ /boot\.ipxe: 37 bytes in .* s \(.* MB/s\): ok"));
            Assert.That(stderr.Result, Does.Match(@"tftp 127\.0\.0\.1:\d+ boot\.ipxe: 37 bytes in .* s \(.* MB/s\): ok"));
            Assert.That(stdout.Result, Is.Empty, "no status line when stdout is not a terminal");
        }
        finally { Directory.Delete(root, true); }
    }
}
