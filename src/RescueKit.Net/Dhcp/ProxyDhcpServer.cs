using System.Net;
using System.Net.Sockets;
using System.Text;
using RescueKit.Core;
using Serilog;

namespace RescueKit.Net.Dhcp;

/// <summary>
/// A proxyDHCP server (PXE 2.1 §2.2.3, "DHCP and proxyDHCP on different machines"): beside the site's DHCP server it
/// answers PXE clients only (option 60 "PXEClient…"/"HTTPClient…"), hands out no address (yiaddr 0), and tells them the
/// boot file. A DHCPDISCOVER on port 67 gets a DHCPOFFER, broadcast (the client has no address yet); a request on the
/// boot-server port 4011 gets a DHCPACK sent back where it came from. Option 43 sets PXE_DISCOVERY_CONTROL to "boot the
/// file named here" so clients skip boot-server discovery and menus.
/// </summary>
public sealed class ProxyDhcpServer : IDisposable
{
    /// <summary>PXE 2.1 table 2-1: PXE_DISCOVERY_CONTROL (tag 6), length 1, bit 3: the boot file in this reply is the one
    /// to load, no discovery; then the encapsulated list's end.</summary>
    private static readonly byte[] DiscoveryControl = [6, 1, 0x08, 255];

    /// <summary>Linux SOL_SOCKET and SO_BINDTODEVICE (asm-generic/socket.h).</summary>
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    private readonly ProxyDhcpSettings _settings;
    private readonly ILogger _log;
    private readonly Socket _dhcp;
    private readonly Socket _pxe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _listeners;

    public ProxyDhcpServer(ProxyDhcpSettings settings, ILogger log)
    {
        _settings = settings;
        _log = log;
        // Broadcasts to 255.255.255.255 reach only a socket bound to the wildcard address; the device binding keeps it
        // to the one link. Without a device (tests on the loopback) the socket is bound to the address itself.
        var listen = settings.Device is null ? settings.Address : IPAddress.Any;
        _dhcp = Open(listen, settings.Port, "proxyDHCP", "--dhcp-port");
        try { _pxe = Open(listen, settings.PxePort, "PXE boot-server (proxyDHCP)", "--dhcp-port"); }
        catch
        {
            _dhcp.Dispose();
            throw;
        }
        _listeners =
        [
            new Thread(() => Listen(_dhcp, DhcpMessageType.Discover, DhcpMessageType.Offer)) { IsBackground = true, Name = "dhcp-67" },
            new Thread(() => Listen(_pxe, DhcpMessageType.Request, DhcpMessageType.Ack)) { IsBackground = true, Name = "dhcp-4011" },
        ];
        foreach (var t in _listeners) t.Start();
    }

    /// <summary>The port DISCOVERs are read on (the one given, or the kernel's choice for 0).</summary>
    public int Port => ((IPEndPoint)_dhcp.LocalEndPoint!).Port;

    /// <summary>The boot-server port REQUESTs are read on.</summary>
    public int PxePort => ((IPEndPoint)_pxe.LocalEndPoint!).Port;

    private Socket Open(IPAddress address, int port, string service, string option)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        if (_settings.Device is { } device)
        {
            try { socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(device + "\0")); }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new BadInputException($"cannot tie the {service} socket to {device} ({e.Message}): run as root (SO_BINDTODEVICE needs CAP_NET_RAW)");
            }
        }
        NetSockets.Bind(socket, address, port, service, option);
        return socket;
    }

    private void Listen(Socket socket, DhcpMessageType answers, DhcpMessageType reply)
    {
        var buffer = new byte[1500];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try { n = socket.ReceiveFrom(buffer, ref from); }
            catch (SocketException) when (!_stop.IsCancellationRequested) { continue; }
            catch (Exception) { return; } // disposed: stopping
            var sender = (IPEndPoint)from;
            var packet = DhcpPacket.Parse(buffer.AsSpan(0, n));
            if (packet is null || packet.Op != DhcpPacket.BootRequest || packet.MessageType != answers) continue;
            var client = PxeClientRequest.From(packet);
            if (client is null)
            {
                _log.Debug("proxyDHCP: {Type} from {Sender} is not from a PXE client; ignored", packet.MessageType, sender.ToString());
                continue;
            }
            var choice = ProxyDhcpBootPolicy.Choose(client, _settings);
            if (choice.File is null)
            {
                _log.Information("proxyDHCP: no answer to {Mac} (arch {Arch}, {VendorClass}{Ipxe}): {Reason}",
                    client.Mac, client.Architecture?.ToString() ?? "none", client.VendorClass, client.IsIpxe ? ", iPXE" : "", choice.Reason);
                continue;
            }
            var to = reply == DhcpMessageType.Offer ? ReplyTo(packet) : sender;
            try { socket.SendTo(Reply(packet, client, reply, choice.File), to); }
            catch (SocketException e)
            {
                _log.Warning("proxyDHCP: {Type} to {Mac} at {To} not sent: {Error}", reply, client.Mac, to.ToString(), e.Message);
                continue;
            }
            _log.Information("proxyDHCP {Type} to {Mac} (arch {Arch}{Ipxe}) at {To}: {File} ({Reason})",
                reply, client.Mac, client.Architecture, client.IsIpxe ? ", iPXE" : "", to.ToString(), choice.File, choice.Reason);
        }
    }

    /// <summary>RFC 2131 §4.1: through the relay agent when there is one, else broadcast (no address was handed out, so
    /// the client cannot be reached by unicast before it has one from the site's server).</summary>
    private IPEndPoint ReplyTo(DhcpPacket request) =>
        !request.Giaddr.Equals(IPAddress.Any) ? new IPEndPoint(request.Giaddr, 67)
        : !request.Ciaddr.Equals(IPAddress.Any) ? new IPEndPoint(request.Ciaddr, _settings.ClientPort)
        : new IPEndPoint(_settings.ReplyAddress, _settings.ClientPort);

    private byte[] Reply(DhcpPacket request, PxeClientRequest client, DhcpMessageType type, string file)
    {
        var reply = new DhcpPacket
        {
            Op = DhcpPacket.BootReply,
            Htype = request.Htype,
            Hlen = request.Hlen,
            Xid = request.Xid,
            Flags = request.Flags,
            Ciaddr = request.Ciaddr,
            Siaddr = _settings.Address,
            Giaddr = request.Giaddr,
            Chaddr = request.Chaddr,
            // A URL longer than the file field still reaches the client in option 67.
            File = Encoding.ASCII.GetByteCount(file) < 128 ? file : "",
        };
        reply.Options
            .Set(DhcpOptionCode.MessageType, [(byte)type])
            .Set(DhcpOptionCode.ServerIdentifier, _settings.Address.GetAddressBytes())
            .Set(DhcpOptionCode.VendorClassIdentifier, Encoding.ASCII.GetBytes(client.IsHttpClient ? "HTTPClient" : "PXEClient"));
        if (!client.IsHttpClient) reply.Options.Set(DhcpOptionCode.VendorSpecific, DiscoveryControl);
        if (client.MachineIdentifier is { } uuid) reply.Options.Set(DhcpOptionCode.ClientMachineIdentifier, uuid);
        reply.Options.Set(DhcpOptionCode.BootfileName, Encoding.ASCII.GetBytes(file));
        return reply.ToBytes();
    }

    /// <summary>Stops listening and waits for both listener threads.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _dhcp.Dispose();
        _pxe.Dispose();
        foreach (var t in _listeners) t.Join();
        _stop.Dispose();
    }
}
