using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `rescuekit pxe config dnsmasq|nginx` against the real servers (docs/pxe.md): each is started with the generated
/// configuration on the loopback and the tree's files are fetched from it with curl (tftp:// and http://), compared with
/// the SHA-256s of the manifest. dnsmasq's TFTP listens on port 69 only, so it runs in a network namespace of its own
/// (unshare -n: a loopback and nothing else) with curl beside it.
/// </summary>
[NonParallelizable]
public class PxeServerConfigTests
{
    private string _dir = null!;
    private string Root => Path.Combine(_dir, "tree");

    [OneTimeSetUp]
    public void BuildTree()
    {
        _dir = Directory.CreateTempSubdirectory("rk-pxe-servers-").FullName;
        PxeTreeFixture.Build(Root);
    }

    [OneTimeTearDown]
    public void RemoveTree() => Directory.Delete(_dir, recursive: true);

    private static string Config(params string[] args)
    {
        var r = Rescuekit.Run(["pxe", "config", .. args]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        return r.Stdout;
    }

    [Test]
    public void DnsmasqServesTheTreeOverTftp_WithProxyDhcpAndTheClientKindsToldApart()
    {
        var dnsmasq = ExternalTool.Require("dnsmasq", "dnsmasq-base");
        ExternalTool.Require("curl", "curl");
        ExternalTool.Require("unshare", "util-linux");
        var conf = Path.Combine(_dir, "dnsmasq.conf");
        var text = Config("dnsmasq", "--root", Root, "--interface", "lo", "--subnet", "127.0.0.0");
        File.WriteAllText(conf, text);
        Assert.That(text, Does.Contain("\ndhcp-range=127.0.0.0,proxy\n").And.Contain("\nenable-tftp\n").And.Contain($"\ntftp-root={Root}\n"));
        Assert.That(text, Does.Contain("\ndhcp-match=set:efi64,option:client-arch,7\n").And.Contain("\ndhcp-match=set:efi64,option:client-arch,9\n")
            .And.Contain("\ndhcp-match=set:efi64-http,option:client-arch,16\n").And.Contain("\ndhcp-userclass=set:ipxe,iPXE\n"));
        Assert.That(text, Does.Contain($"\ndhcp-host={PxeTreeFixture.MacA},set:rk-alpha\n")
            .And.Contain("\npxe-service=tag:ipxe,tag:rk-alpha,x86PC,\"RescueKit alpha (iPXE)\",rescuekit/alpha/boot.ipxe\n")
            .And.Contain("\npxe-service=x86PC,\"RescueKit (BIOS, pxelinux)\",pxelinux\n")
            .And.Contain("\npxe-service=x86-64_EFI,\"RescueKit (UEFI, GRUB)\",rk-grubx64.efi\n"));
        ExternalTool.RunOk(dnsmasq, "dnsmasq-base", ["--test", $"--conf-file={conf}"]);

        var got = Path.Combine(_dir, "tftp");
        Directory.CreateDirectory(got);
        var macFile = "pxelinux.cfg/01-" + PxeTreeFixture.MacA.Replace(':', '-');
        var script = $"""
            set -e
            ip link set lo up
            dnsmasq -k --conf-file={conf} --user=root --group=root --pid-file={_dir}/dnsmasq.pid --dhcp-leasefile={_dir}/leases --log-facility={_dir}/dnsmasq.log &
            pid=$!
            trap 'kill $pid' EXIT
            i=0
            until curl -sS -o /dev/null tftp://127.0.0.1/pxelinux.0 2>/dev/null; do i=$((i + 1)); [ $i -lt 50 ] || exit 9; sleep 0.2; done
            curl -sS -o {got}/pxelinux.0 tftp://127.0.0.1/pxelinux.0
            curl -sS -o {got}/01 tftp://127.0.0.1/{macFile}
            curl -sS -o {got}/grub.efi tftp://127.0.0.1/rk-grubx64.efi
            curl -sS --tftp-blksize 1468 -o {got}/initrd.img tftp://127.0.0.1/rescuekit/beta/initrd.img
            if curl -sS -o {got}/missing tftp://127.0.0.1/rescuekit/nosuch 2>/dev/null; then exit 8; fi
            """;
        var r = ExternalTool.Run("unshare", "util-linux", ["-n", "sh", "-c", script], timeoutSeconds: 120);
        var log = File.Exists(Path.Combine(_dir, "dnsmasq.log")) ? File.ReadAllText(Path.Combine(_dir, "dnsmasq.log")) : "(no log)";
        Assert.That(r.ExitCode, Is.EqualTo(0), $"{r.Stderr}\n{log}");
        Assert.That(log, Does.Contain("DHCP, proxy on subnet 127.0.0.0"));

        Assert.That(File.ReadAllBytes(Path.Combine(got, "pxelinux.0")), Is.EqualTo(File.ReadAllBytes("/usr/lib/PXELINUX/pxelinux.0")));
        Assert.That(File.ReadAllText(Path.Combine(got, "01")), Is.EqualTo(File.ReadAllText(Path.Combine(Root, macFile))));
        Assert.That(File.ReadAllBytes(Path.Combine(got, "grub.efi")), Is.EqualTo(File.ReadAllBytes(Path.Combine(Root, "rk-grubx64.efi"))));
        Assert.That(PxeTreeFixture.Sha256sum(Path.Combine(got, "initrd.img")), Is.EqualTo(PxeTreeFixture.ManifestSha256(Root, "beta", "initrd.img")));
    }

    [Test]
    public void NginxServesTheTreeOverHttp_WithRangesAndWithoutListingsOrDotFiles()
    {
        var nginx = ExternalTool.Require("nginx", "nginx");
        var curl = ExternalTool.Require("curl", "curl");
        var port = FreePort();
        var server = Config("nginx", "--root", Root, "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--listen", "127.0.0.1");
        Assert.That(server, Does.Contain($"\n    listen 127.0.0.1:{port};\n").And.Contain($"\n    root {Root};\n").And.Contain("autoindex off;"));
        var prefix = Path.Combine(_dir, "nginx");
        Directory.CreateDirectory(prefix);
        File.WriteAllText(Path.Combine(prefix, "server.conf"), server);
        // The test's own nginx: its pid, logs and temp files in the prefix, workers as root (the tree is in a 0700 temp dir).
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), $$"""
            daemon off;
            user root;
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log;
            events { worker_connections 64; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/server.conf;
            }
            """);
        ExternalTool.RunOk(nginx, "nginx", ["-t", "-p", prefix, "-c", Path.Combine(prefix, "nginx.conf")]);
        using var process = Process.Start(new ProcessStartInfo(nginx, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        try
        {
            var url = $"http://127.0.0.1:{port}";
            WaitForPort(port, process);
            string Status(params string[] args) => ExternalTool.RunOk(curl, "curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", .. args]);

            var initrd = Path.Combine(_dir, "http-initrd.img");
            Assert.That(ExternalTool.RunOk(curl, "curl", ["-sS", "-w", "%{http_code}", "-o", initrd, $"{url}/rescuekit/alpha/initrd.img"]), Is.EqualTo("200"));
            Assert.That(PxeTreeFixture.Sha256sum(initrd), Is.EqualTo(PxeTreeFixture.ManifestSha256(Root, "alpha", "initrd.img")));
            var ipxe = ExternalTool.RunOk(curl, "curl", ["-sS", $"{url}/rescuekit/alpha/boot.ipxe"]);
            Assert.That(ipxe, Is.EqualTo(File.ReadAllText(Path.Combine(Root, "rescuekit", "alpha", "boot.ipxe"))));
            Assert.That(ipxe, Does.Contain("kernel http://127.0.0.1:8080/rescuekit/alpha/vmlinuz "));
            var part = ExternalTool.RunOk(curl, "curl", ["-sS", "-r", "4-9", $"{url}/pxelinux.0"]);
            Assert.That(Status("-r", "4-9", $"{url}/pxelinux.0"), Is.EqualTo("206"));
            Assert.That(part.Length, Is.EqualTo(6));
            Assert.That(Status("-I", $"{url}/rk-grubx64.efi"), Is.EqualTo("200"));
            Assert.That(Status($"{url}/rescuekit/"), Is.EqualTo("404"), "no directory listing");
            Assert.That(Status($"{url}/.rescuekit-pxe.lock"), Is.EqualTo("404"), "dot files are not served");
            Assert.That(Status("-X", "PUT", "--data", "x", $"{url}/pxelinux.0"), Is.EqualTo("403"), "read-only");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port, Process process)
    {
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited) Assert.Fail($"nginx exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) { Thread.Sleep(100); }
        }
        Assert.Fail($"nginx did not listen on 127.0.0.1:{port} within 10 s");
    }
}
