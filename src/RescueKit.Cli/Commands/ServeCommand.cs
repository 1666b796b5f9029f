using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using RescueKit.Core;
using RescueKit.Media.Pxe;
using RescueKit.Net;
using RescueKit.Net.Dhcp;
using RescueKit.Net.Http;
using RescueKit.Net.Tftp;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>
/// `rescuekit serve --root DIR [--bind ADDR] [--backups DIR] [--tftp-port N] [--http-port N] [--proxy-dhcp IFACE
/// [--dhcp-port N]]`: the PXE tree over TFTP and HTTP, and optionally proxyDHCP answers to the PXE clients on IFACE,
/// in the foreground until Ctrl-C or SIGTERM, one log line per transfer and per answer. docs/serve.md.
/// </summary>
internal sealed class ServeCommand : RescueCommand
{
    private readonly Option<string> _root = new("--root") { Description = "The tree to serve (the PXE tree of mkrescue --output pxe)", Required = true };
    private readonly Option<string> _bind = new("--bind") { Description = "The local IPv4 address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
    private readonly Option<string?> _backups = new("--backups") { Description = "Also serve this directory (backup sets) over HTTP under /backups/" };
    private readonly Option<string?> _proxyDhcp = new("--proxy-dhcp") { Description = "Answer PXE clients on this interface (proxyDHCP beside the site's DHCP server; no addresses handed out)" };
    private readonly Option<int> _tftpPort = new("--tftp-port") { Description = "TFTP port (0: none)", DefaultValueFactory = _ => 69 };
    private readonly Option<int> _httpPort = new("--http-port") { Description = "HTTP port (0: none)", DefaultValueFactory = _ => 8080 };
    private readonly Option<int> _dhcpPort = new("--dhcp-port") { Description = "proxyDHCP port (with --proxy-dhcp)", DefaultValueFactory = _ => 67 };

    /// <summary>The BIOS boot loader mkrescue puts at the tree's root (docs/pxe.md, the tree).</summary>
    private const string BiosBootFile = "pxelinux.0";

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
        var bind = Address(result.GetValue(_bind)!);
        var tftpPort = Port(result.GetValue(_tftpPort), "--tftp-port");
        var httpPort = Port(result.GetValue(_httpPort), "--http-port");
        if (tftpPort == 0 && httpPort == 0) throw new BadInputException("--tftp-port 0 and --http-port 0 leave nothing to serve: give at least one port");
        var iface = result.GetValue(_proxyDhcp);
        var dhcpPort = Port(result.GetValue(_dhcpPort), "--dhcp-port");
        if (iface is not null && dhcpPort == 0) throw new BadInputException("--dhcp-port 0 with --proxy-dhcp: give the port DHCP clients broadcast to (67)");
        var dhcpAddress = iface is null ? null : InterfaceAddress(iface, bind);

        var counter = new TransferCounter();
        counter.Finished += r => log.Information(
            "{Protocol} {Client} {File}: {Bytes} bytes in {Seconds:F2} s ({Rate:F1} MB/s): {Result}",
            r.Protocol, r.Client.ToString(), r.File, r.Bytes, r.Elapsed.TotalSeconds, r.Rate / 1e6, r.Result);
        using var tftp = tftpPort == 0 ? null : new TftpServer(new TftpServerSettings(bind, tftpPort), root, counter, log);
        using var http = httpPort == 0 ? null : new HttpServer(new HttpServerSettings(bind, httpPort, root) { Backups = backups }, counter, log);
        using var dhcp = dhcpAddress is null ? null : new ProxyDhcpServer(new ProxyDhcpSettings(dhcpAddress, dhcpPort)
        {
            Device = iface,
            HttpPort = http?.Port ?? 0,
            Tftp = tftp is not null && tftp.Port == 69,
            BiosFile = BiosBootFile,
            UefiFile = PxeTree.GrubImage,
            IpxeScript = mac => IpxeScript(root, mac, log),
        }, log);
        if (tftp is not null && tftp.Port != 69 && dhcp is not null)
            log.Warning("TFTP is on port {Port}: PXE ROMs only ask port 69, so BIOS and UEFI PXE clients get no proxyDHCP answer", tftp.Port);
        log.Information("Serving {Root}: TFTP {Tftp}, HTTP {Http}{Backups}{Dhcp}; Ctrl-C stops",
            Path.GetFullPath(root), tftp is null ? "off" : $"{bind}:{tftp.Port}", http is null ? "off" : $"{bind}:{http.Port}",
            backups is null ? "" : $", /backups/ from {Path.GetFullPath(backups)}",
            dhcp is null ? "" : $", proxyDHCP on {iface} ({dhcpAddress}) ports {dhcp.Port} and {dhcp.PxePort}");
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

    /// <summary>The first IPv4 address of the interface proxyDHCP answers on: siaddr, the server identifier and the host
    /// of the http:// boot URLs, so the HTTP server must listen there too.</summary>
    private static IPAddress InterfaceAddress(string name, IPAddress bind)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name)
            ?? throw new BadInputException($"--proxy-dhcp {name}: no such network interface: give one of ip -br link's names");
        var address = nic.GetIPProperties().UnicastAddresses.Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new BadInputException($"--proxy-dhcp {name} has no IPv4 address: give it one (ip addr add) or name the interface on the PXE clients' network");
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(address))
            throw new BadInputException($"--bind {bind} is not --proxy-dhcp {name}'s address {address}: PXE clients are sent to {address}; give --bind {address} or 0.0.0.0");
        return address;
    }

    /// <summary>The boot.ipxe of the tree's host that owns the MAC, read from the manifests at each request so a host
    /// added while serving is found.</summary>
    private static string? IpxeScript(string root, string mac, ILogger log)
    {
        // A hardware address that is not Ethernet's six bytes (hlen from the packet) names no host of the tree.
        if (mac.Length != 17) return null;
        var key = PxeMac.Normalize(mac);
        try
        {
            var host = new PxeTree(root).Hosts().FirstOrDefault(h => h.Macs.Contains(key));
            if (host is null) return null;
            var script = $"{PxeTree.HostsDirectory}/{host.Host}/{PxeTree.IpxeFile}";
            return File.Exists(Path.Combine(root, script)) ? script : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RescueKitException or System.Text.Json.JsonException)
        {
            log.Warning("proxyDHCP: the tree's manifests cannot be read ({Error}); {Mac} gets the default menus", e.Message, mac);
            return null;
        }
    }

    private static int Port(int port, string option) =>
        port is >= 0 and <= 65535 ? port : throw new BadInputException($"{option} {port} is not a port: give 1 to 65535 (0 turns the service off)");
}
