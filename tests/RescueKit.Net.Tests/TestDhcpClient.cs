using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RescueKit.Net.Dhcp;

namespace RescueKit.Net.Tests;

/// <summary>A PXE client as the tests play it on 127.0.0.1: a socket on a high port (standing for 68) that sends
/// DISCOVERs and boot-server REQUESTs built as the ROMs build them (reference pxe-initramfs.md B.1).</summary>
internal sealed class TestDhcpClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public TestDhcpClient()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.ReceiveTimeout = 1500;
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public static readonly byte[] Mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

    public static DhcpPacket Request(DhcpMessageType type, ushort? arch, bool ipxe = false, string vendor = "PXEClient", byte[]? mac = null)
    {
        var chaddr = new byte[16];
        (mac ?? Mac).CopyTo(chaddr, 0);
        var packet = new DhcpPacket { Op = DhcpPacket.BootRequest, Xid = 0x1234abcd, Flags = DhcpPacket.BroadcastFlag, Chaddr = chaddr };
        packet.Options.Set(DhcpOptionCode.MessageType, [(byte)type]);
        if (arch is { } a)
        {
            var vendorClass = vendor.StartsWith("PXEClient") || vendor.StartsWith("HTTPClient") ? $"{vendor}:Arch:{a:D5}:UNDI:003000" : vendor;
            packet.Options.Set(DhcpOptionCode.VendorClassIdentifier, Encoding.ASCII.GetBytes(vendorClass));
            var archBytes = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(archBytes, a);
            packet.Options.Set(DhcpOptionCode.ClientSystemArchitecture, archBytes);
        }
        else packet.Options.Set(DhcpOptionCode.VendorClassIdentifier, Encoding.ASCII.GetBytes(vendor));
        packet.Options.Set(DhcpOptionCode.ClientNetworkInterfaceIdentifier, [1, 3, 0]);
        packet.Options.Set(DhcpOptionCode.ClientMachineIdentifier, [0, .. Enumerable.Range(1, 16).Select(i => (byte)i)]);
        if (ipxe)
        {
            packet.Options.Set(DhcpOptionCode.UserClass, Encoding.ASCII.GetBytes("iPXE"));
            packet.Options.Set(DhcpOptionCode.IpxeEncapsulated, [177, 5, 1, 0x80, 0x86, 0x10, 0x0e]);
        }
        return packet;
    }

    /// <summary>Sends the packet and returns the reply, or null when none comes within 1.5 s.</summary>
    public DhcpPacket? Exchange(DhcpPacket packet, int serverPort)
    {
        _socket.SendTo(packet.ToBytes(), new IPEndPoint(IPAddress.Loopback, serverPort));
        var buffer = new byte[1500];
        try
        {
            var n = _socket.Receive(buffer);
            return DhcpPacket.Parse(buffer.AsSpan(0, n)) ?? throw new AssertionException("the reply is not a DHCP message");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut) { return null; }
    }

    public void Dispose() => _socket.Dispose();
}
