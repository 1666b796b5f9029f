using System.Net;

namespace RescueKit.Net.Dhcp;

/// <summary>
/// How a <see cref="ProxyDhcpServer"/> listens and what it hands out. <see cref="Address"/> is our address on the
/// client's network: it is siaddr, the server identifier and the host of the http:// URLs.
/// </summary>
public sealed record ProxyDhcpSettings(IPAddress Address, int Port)
{
    /// <summary>The interface the sockets are tied to (SO_BINDTODEVICE) so broadcasts from that link alone are read and
    /// replies leave through it; null: none (the loopback tests).</summary>
    public string? Device { get; init; }

    /// <summary>PXE boot-server discovery port (PXE 2.1 §2.2.4); 0 lets the kernel choose (tests).</summary>
    public int PxePort { get; init; } = 4011;

    /// <summary>Where replies to port-67 requests go: the client has no address yet, so the limited broadcast.</summary>
    public IPAddress ReplyAddress { get; init; } = IPAddress.Broadcast;

    /// <summary>The client port broadcast replies go to (68; tests use a high port).</summary>
    public int ClientPort { get; init; } = 68;

    /// <summary>The HTTP server's port; 0: no HTTP, so clients that need a URL get no answer.</summary>
    public int HttpPort { get; init; }

    /// <summary>Whether a TFTP server answers on port 69 of <see cref="Address"/> (PXE ROMs know no other port).</summary>
    public bool Tftp { get; init; } = true;

    /// <summary>The BIOS boot file, relative to the served root.</summary>
    public required string BiosFile { get; init; }

    /// <summary>The x64 UEFI boot file, relative to the served root.</summary>
    public required string UefiFile { get; init; }

    /// <summary>The iPXE script of the host that owns a MAC (aa:bb:cc:dd:ee:ff), relative to the root, or null.</summary>
    public Func<string, string?> IpxeScript { get; init; } = _ => null;
}
