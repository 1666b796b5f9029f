using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using RescueKit.Core;
using RescueKit.Net;
using RescueKit.Net.Http;
using RescueKit.Net.Tftp;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>
/// `rescuekit serve --root DIR [--bind ADDR] [--backups DIR] [--tftp-port N] [--http-port N]`: the PXE tree over TFTP
/// and HTTP, in the foreground until Ctrl-C or SIGTERM, one log line per transfer. docs/serve.md.
/// </summary>
internal sealed class ServeCommand : RescueCommand
{
    private readonly Option<string> _root = new("--root") { Description = "The tree to serve (the PXE tree of mkrescue --output pxe)", Required = true };
    private readonly Option<string> _bind = new("--bind") { Description = "The local IPv4 address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
    private readonly Option<string?> _backups = new("--backups") { Description = "Also serve this directory (backup sets) over HTTP under /backups/" };
    private readonly Option<string?> _proxyDhcp = new("--proxy-dhcp") { Description = "Answer PXE clients on this interface (proxyDHCP; not implemented yet)" };
    private readonly Option<int> _tftpPort = new("--tftp-port") { Description = "TFTP port (0: none)", DefaultValueFactory = _ => 69 };
    private readonly Option<int> _httpPort = new("--http-port") { Description = "HTTP port (0: none)", DefaultValueFactory = _ => 8080 };
    private readonly Option<int> _dhcpPort = new("--dhcp-port") { Description = "proxyDHCP port (with --proxy-dhcp)", DefaultValueFactory = _ => 67 };

    public ServeCommand() : base("serve", "Serve a PXE tree over TFTP and HTTP (read-only) until Ctrl-C")
    {
        Options.Add(_root);
        Options.Add(_bind);
        Options.Add(_backups);
        Options.Add(_proxyDhcp);
        Options.Add(_tftpPort);
        Options.Add(_httpPort);
        Options.Add(_dhcpPort);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var root = result.GetValue(_root)!;
        if (!Directory.Exists(root)) throw new BadInputException($"--root {root} is not a directory: give the PXE tree to serve");
        var backups = result.GetValue(_backups);
        if (backups is not null && !Directory.Exists(backups)) throw new BadInputException($"--backups {backups} is not a directory: give where the backup sets are");
        if (result.GetValue(_proxyDhcp) is { } iface)
            throw new RescueKitException($"--proxy-dhcp {iface}: proxyDHCP is not implemented yet; leave it out and let the site's DHCP server (or dnsmasq) point PXE clients here", ExitCodes.Failed);
        var bind = Address(result.GetValue(_bind)!);
        var tftpPort = Port(result.GetValue(_tftpPort), "--tftp-port");
        var httpPort = Port(result.GetValue(_httpPort), "--http-port");
        if (tftpPort == 0 && httpPort == 0) throw new BadInputException("--tftp-port 0 and --http-port 0 leave nothing to serve: give at least one port");

        var counter = new TransferCounter();
        counter.Finished += r => log.Information(
            "{Protocol} {Client} {File}: {Bytes} bytes in {Seconds:F2} s ({Rate:F1} MB/s): {Result}",
            r.Protocol, r.Client.ToString(), r.File, r.Bytes, r.Elapsed.TotalSeconds, r.Rate / 1e6, r.Result);
        using var tftp = tftpPort == 0 ? null : new TftpServer(new TftpServerSettings(bind, tftpPort), root, counter, log);
        using var http = httpPort == 0 ? null : new HttpServer(new HttpServerSettings(bind, httpPort, root) { Backups = backups }, counter, log);
        log.Information("Serving {Root}: TFTP {Tftp}, HTTP {Http}{Backups}; Ctrl-C stops",
            Path.GetFullPath(root), tftp is null ? "off" : $"{bind}:{tftp.Port}", http is null ? "off" : $"{bind}:{http.Port}",
            backups is null ? "" : $", /backups/ from {Path.GetFullPath(backups)}");
        var terminal = !Console.IsOutputRedirected;
        while (!cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
        {
            if (!terminal) continue;
            var active = counter.InProgress;
            // A status line of the transfers in progress, redrawn in place; only a terminal gets it.
            var line = active.Count == 0 ? "idle" : $"{active.Count} in progress: " +
                string.Join(", ", active.Take(4).Select(a => $"{a.Protocol} {a.File} → {a.Client}"));
            Console.Write($"\r\u001b[K{line}");
        }
        if (terminal) Console.WriteLine();
        log.Information("Stopped; {Active} transfers were cut off", counter.Active);
        return ExitCodes.Ok;
    }

    private static IPAddress Address(string text)
    {
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new BadInputException($"--bind {text} is not an IPv4 address: give one of this machine's addresses, or 0.0.0.0");
        if (address.Equals(IPAddress.Any)) return address;
        var local = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Any(u => u.Address.Equals(address));
        if (!local) throw new BadInputException($"--bind {text} is not an address of this machine: give one of its own addresses (ip -br addr) or 0.0.0.0");
        return address;
    }

    private static int Port(int port, string option) =>
        port is >= 0 and <= 65535 ? port : throw new BadInputException($"{option} {port} is not a port: give 1 to 65535 (0 turns the service off)");
}
