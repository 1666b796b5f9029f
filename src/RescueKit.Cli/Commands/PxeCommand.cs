using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using RescueKit.Core;
using RescueKit.Media.Pxe;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit pxe list|remove|config`: the hosts of a PXE tree, and configurations to serve it (docs/pxe.md).</summary>
internal sealed class PxeCommand : Command
{
    public PxeCommand() : base("pxe", "List and remove the hosts of a PXE tree (mkrescue --output pxe), and print dnsmasq and nginx configurations serving it")
    {
        Subcommands.Add(new ListCommand());
        Subcommands.Add(new RemoveCommand());
        Subcommands.Add(new ConfigCommand());
    }

    private static Option<string> RootOption() => new("--root") { Description = "The PXE tree", Required = true };

    /// <summary>The tree at --root; one that does not exist is a bad input, not an empty tree.</summary>
    private static PxeTree Tree(ParseResult result, Option<string> root)
    {
        var dir = Path.GetFullPath(result.GetValue(root)!);
        if (!Directory.Exists(dir))
            throw new BadInputException($"--root '{dir}' does not exist: give the directory mkrescue --output pxe --root wrote");
        return new PxeTree(dir);
    }

    private sealed class ListCommand : RescueCommand
    {
        private readonly Option<string> _root = RootOption();

        public ListCommand() : base("list", "The hosts in the tree: MACs, kernel, initrd size, build time")
            => Options.Add(_root);

        protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
        {
            var hosts = Tree(result, _root).Hosts();
            if (hosts.Count == 0)
            {
                Console.WriteLine("no hosts in the tree");
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{"HOST",-20} {"MACS",-36} {"KERNEL",-22} {"INITRD",10} {"BUILT",-20} IPXE");
            foreach (var h in hosts)
            {
                var initrd = h.Files.FirstOrDefault(f => f.Name == PxeTree.InitrdFile);
                var macs = h.Macs.Count == 0 ? "-" : string.Join(',', h.Macs.Select(m => m.Replace('-', ':')));
                Console.WriteLine($"{h.Host,-20} {macs,-36} {h.Kernel,-22} {(initrd is null ? "-" : $"{initrd.Size / 1048576.0:F1} MiB"),10} {h.Built,-20} {(h.HttpUrl is null ? "no" : "yes")}");
            }
            return ExitCodes.Ok;
        }
    }

    private sealed class RemoveCommand : RescueCommand
    {
        private readonly Option<string> _root = RootOption();
        private readonly Argument<string> _host = new("HOST") { Description = "The host to remove" };

        public RemoveCommand() : base("remove", "Remove a host: its directory and per-MAC files go, the menus are regenerated")
        {
            Arguments.Add(_host);
            Options.Add(_root);
        }

        protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
        {
            var removed = Tree(result, _root).Remove(result.GetValue(_host)!);
            Console.WriteLine($"removed {removed.Host}{(removed.Macs.Count == 0 ? "" : $" ({string.Join(", ", removed.Macs.Select(m => m.Replace('-', ':')))})")}");
            return ExitCodes.Ok;
        }
    }

    private sealed class ConfigCommand : RescueCommand
    {
        private readonly Argument<string> _server = new("SERVER") { Description = "dnsmasq (proxyDHCP + TFTP) or nginx (HTTP)" };
        private readonly Option<string> _root = RootOption();
        private readonly Option<int> _httpPort = new("--http-port") { Description = "nginx: the port to listen on", DefaultValueFactory = _ => 8080 };
        private readonly Option<string?> _listen = new("--listen") { Description = "nginx: the address to listen on (default: every address)" };
        private readonly Option<string?> _interface = new("--interface") { Description = "dnsmasq: the interface to answer on (its IPv4 subnet is the proxy range unless --subnet)" };
        private readonly Option<string?> _subnet = new("--subnet") { Description = "dnsmasq: the IPv4 network to answer PXE clients on, e.g. 192.168.1.0" };

        public ConfigCommand() : base("config", "Print a dnsmasq or nginx configuration serving the tree")
        {
            _server.AcceptOnlyFromAmong("dnsmasq", "nginx");
            Arguments.Add(_server);
            Options.Add(_root);
            Options.Add(_httpPort);
            Options.Add(_listen);
            Options.Add(_interface);
            Options.Add(_subnet);
        }

        protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
        {
            var tree = Tree(result, _root);
            if (result.GetValue(_server) == "nginx")
            {
                var port = result.GetValue(_httpPort);
                if (port is < 1 or > 65535) throw new BadInputException($"--http-port {port} is not a TCP port: give 1-65535");
                var listen = result.GetValue(_listen);
                if (listen is not null && !IPAddress.TryParse(listen, out _))
                    throw new BadInputException($"--listen '{listen}' is not an IP address: give e.g. 127.0.0.1");
                Console.Write(PxeServerConfigs.Nginx(tree.Root, port, listen));
                return ExitCodes.Ok;
            }
            var networkInterface = result.GetValue(_interface);
            Console.Write(PxeServerConfigs.Dnsmasq(tree.Root, tree.Hosts(), Subnet(result.GetValue(_subnet), networkInterface), networkInterface));
            return ExitCodes.Ok;
        }

        /// <summary>The proxy range: --subnet, else the network of --interface's first IPv4 address.</summary>
        private static string Subnet(string? subnet, string? networkInterface)
        {
            if (subnet is not null)
            {
                if (!IPAddress.TryParse(subnet, out var a) || a.AddressFamily != AddressFamily.InterNetwork)
                    throw new BadInputException($"--subnet '{subnet}' is not an IPv4 address: give the network, e.g. 192.168.1.0");
                return a.ToString();
            }
            if (networkInterface is null)
                throw new BadInputException("dnsmasq needs the network to answer PXE clients on: give --interface IF or --subnet ADDR");
            var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == networkInterface)
                ?? throw new BadInputException($"--interface '{networkInterface}' is not a network interface of this machine: see 'ip link', or give --subnet ADDR");
            var v4 = nic.GetIPProperties().UnicastAddresses.FirstOrDefault(u => u.Address.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new BadInputException($"--interface '{networkInterface}' has no IPv4 address: give --subnet ADDR");
            var address = v4.Address.GetAddressBytes();
            var mask = v4.IPv4Mask.GetAddressBytes();
            return new IPAddress(address.Zip(mask, (x, m) => (byte)(x & m)).ToArray()).ToString();
        }
    }
}
