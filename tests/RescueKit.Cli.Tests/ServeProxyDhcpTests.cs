using System.Diagnostics;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `rescuekit serve --proxy-dhcp` on a real link: a network namespace the test creates holds a veth pair, the server on
/// one end (192.168.231.1) and scapy as the PXE client on the other, sending a broadcast DISCOVER from 0.0.0.0:68 as a
/// ROM does. This proves the device-bound sockets, the broadcast reply and the tree's MAC lookup, which the loopback
/// tests of RescueKit.Net cannot. Needs root (ip netns) and python3-scapy.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ServeProxyDhcpTests
{
    private const string Mac = "52:54:00:12:34:56";

    [Test]
    public void AMissingInterfaceIsBadInput()
    {
        var r = Rescuekit.Run("serve", "--root", "/tmp", "--proxy-dhcp", "rk-no-such0", "--tftp-port", "0", "--http-port", "18099");
        Assert.That(r.ExitCode, Is.EqualTo(4), r.Stderr);
        Assert.That(r.Stderr.Trim(), Is.EqualTo("rescuekit: error: --proxy-dhcp rk-no-such0: no such network interface: give one of ip -br link's names"));
    }

    [Test]
    public void PxeClientsOnTheLinkGetTheirBootFiles()
    {
        if (Environment.UserName != "root") Assert.Fail("this test needs root (ip netns add, SO_BINDTODEVICE)");
        var ns = $"rkpd-{Environment.ProcessId}";
        var root = Directory.CreateTempSubdirectory("rk-proxydhcp-").FullName;
        Process? serve = null;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "rescuekit/alpha"));
            File.WriteAllText(Path.Combine(root, "rescuekit/alpha/boot.ipxe"), "#!ipxe\n");
            File.WriteAllText(Path.Combine(root, "rescuekit/alpha/manifest.json"), """
                {"formatVersion":1,"tool":"rescuekit test","host":"alpha","built":"2026-12-07T00:00:00Z","kernel":"6.1",
                 "macs":["52-54-00-12-34-56"],"commandLine":"x","httpUrl":"http://192.168.231.1:8080/","files":[]}
                """);
            File.WriteAllText(Path.Combine(root, "pxelinux.0"), "");
            Ip("netns", "add", ns);
            Ip("-n", ns, "link", "set", "lo", "up");
            Ip("-n", ns, "link", "add", "vs", "type", "veth", "peer", "name", "vc");
            Ip("-n", ns, "addr", "add", "192.168.231.1/24", "dev", "vs");
            Ip("-n", ns, "link", "set", "vs", "up");
            Ip("-n", ns, "link", "set", "vc", "up");
            var psi = new ProcessStartInfo(ExternalTool.Require("ip", "iproute2"), ["netns", "exec", ns, Rescuekit.Binary, "serve", "--root", root, "--proxy-dhcp", "vs"])
            { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            serve = Process.Start(psi)!;
            var stderr = serve.StandardError.ReadToEndAsync();
            _ = serve.StandardOutput.ReadToEndAsync();
            var script = Path.Combine(root, "client.py");
            File.WriteAllText(script, ClientScript);
            string Ask(string mac, string kind)
            {
                // The server may still be starting: a DISCOVER unanswered is sent again, as a ROM does.
                for (var i = 0; i < 10; i++)
                {
                    var r = ExternalTool.RunOk("ip", "iproute2", ["netns", "exec", ns, "/usr/bin/python3", script, mac, kind], timeoutSeconds: 60).Trim();
                    if (r != "none") return r;
                }
                return "none";
            }
            Assert.That(Ask("525400123456", "ipxe"), Is.EqualTo("192.168.231.1 255.255.255.255 68 2 66 0.0.0.0 192.168.231.1 http://192.168.231.1:8080/rescuekit/alpha/boot.ipxe"));
            Assert.That(Ask("525400999999", "bios"), Is.EqualTo("192.168.231.1 255.255.255.255 68 2 66 0.0.0.0 192.168.231.1 pxelinux.0"));
            Assert.That(ExternalTool.RunOk("ip", "iproute2", ["netns", "exec", ns, "/usr/bin/python3", script, "525400999999", "plain"], timeoutSeconds: 60).Trim(),
                Is.EqualTo("none"), "a client that is not PXE gets no answer");
            Process.Start("kill", ["-TERM", serve.Id.ToString()])!.WaitForExit();
            Assert.That(serve.WaitForExit(TimeSpan.FromSeconds(20)), "serve stops on SIGTERM");
            Assert.That(stderr.Result, Does.Contain($"proxyDHCP Offer to {Mac} (arch 0, iPXE) at 255.255.255.255:68: http://192.168.231.1:8080/rescuekit/alpha/boot.ipxe"));
            Assert.That(stderr.Result, Does.Contain("proxyDHCP Offer to 52:54:00:99:99:99 (arch 0) at 255.255.255.255:68: pxelinux.0 (BIOS)"));
        }
        finally
        {
            if (serve is { HasExited: false }) serve.Kill(entireProcessTree: true);
            serve?.Dispose();
            ExternalTool.Run("ip", "iproute2", ["netns", "del", ns]);
            Directory.Delete(root, true);
        }
    }

    private static void Ip(params string[] args) => ExternalTool.RunOk("ip", "iproute2", args, timeoutSeconds: 30);

    /// <summary>scapy as the PXE client on vc: MAC (hex), then ipxe, bios or plain (no PXE vendor class); prints the
    /// reply's source, destination, port, op, xid, yiaddr, siaddr and file, or "none".</summary>
    private const string ClientScript = """
        import sys
        from scapy.all import Ether, IP, UDP, BOOTP, DHCP, srp1, conf
        conf.checkIPaddr = False
        mac = bytes.fromhex(sys.argv[1])
        vendor = b"MSFT 5.0" if sys.argv[2] == "plain" else b"PXEClient:Arch:00000:UNDI:002001"
        opts = [("message-type", "discover"), ("vendor_class_id", vendor), (93, b"\x00\x00"), (97, b"\x00" + bytes(16))]
        if sys.argv[2] == "ipxe": opts.append((77, b"iPXE"))
        p = (Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67)
             / BOOTP(op=1, xid=0x42, flags=0x8000, chaddr=mac + bytes(10)) / DHCP(options=opts + ["end"]))
        r = srp1(p, iface="vc", timeout=2, verbose=0)
        if r is None:
            print("none")
        else:
            b = r[BOOTP]
            print(r[IP].src, r[IP].dst, r[UDP].dport, b.op, b.xid, b.yiaddr, b.siaddr, b.file.rstrip(b"\0").decode())
        """;
}
