namespace RescueKit.Net.Dhcp;

/// <summary>The DHCP option codes the proxyDHCP server reads or writes (RFC 2132 unless noted).</summary>
public static class DhcpOptionCode
{
    public const byte Pad = 0;
    public const byte VendorSpecific = 43;
    public const byte MessageType = 53;
    public const byte ServerIdentifier = 54;
    public const byte ParameterRequestList = 55;
    public const byte VendorClassIdentifier = 60;
    public const byte ClientIdentifier = 61;
    public const byte TftpServerName = 66;
    public const byte BootfileName = 67;

    /// <summary>RFC 3004 user class; iPXE sends "iPXE".</summary>
    public const byte UserClass = 77;

    /// <summary>RFC 4578 §2.1: client system architecture (two bytes, big-endian).</summary>
    public const byte ClientSystemArchitecture = 93;

    /// <summary>RFC 4578 §2.2: client network interface identifier (UNDI version).</summary>
    public const byte ClientNetworkInterfaceIdentifier = 94;

    /// <summary>RFC 4578 §2.3: client machine identifier (type 0 and a 16-byte UUID).</summary>
    public const byte ClientMachineIdentifier = 97;

    /// <summary>iPXE's encapsulated options; its presence marks an iPXE client (the usual chainload-loop breaker).</summary>
    public const byte IpxeEncapsulated = 175;

    public const byte End = 255;
}
