using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Net.Dhcp;

/// <summary>
/// What a PXE client says about itself in a DHCP request (PXE 2.1 §2.2, RFC 4578, RFC 3004): its vendor class
/// (option 60, "PXEClient:Arch:00000:UNDI:002001" or "HTTPClient:…"), architecture (93), machine UUID (97) and whether
/// it is iPXE (user class 77 "iPXE" or option 175).
/// </summary>
public sealed record PxeClientRequest(string Mac, string VendorClass, ushort? Architecture, bool IsIpxe, byte[]? MachineIdentifier)
{
    public bool IsHttpClient => VendorClass.StartsWith("HTTPClient", StringComparison.Ordinal);

    /// <summary>The request's PXE facts, or null when the sender is not a PXE or HTTP boot client (it gets no answer).</summary>
    public static PxeClientRequest? From(DhcpPacket packet)
    {
        if (packet.Options.Get(DhcpOptionCode.VendorClassIdentifier) is not { } vendor) return null;
        var vendorClass = Encoding.ASCII.GetString(vendor);
        if (!vendorClass.StartsWith("PXEClient", StringComparison.Ordinal) && !vendorClass.StartsWith("HTTPClient", StringComparison.Ordinal)) return null;
        ushort? arch = packet.Options.Get(DhcpOptionCode.ClientSystemArchitecture) is { Length: >= 2 } a
            ? BinaryPrimitives.ReadUInt16BigEndian(a) : null;
        var ipxe = packet.Options.Has(DhcpOptionCode.IpxeEncapsulated) || HasUserClass(packet.Options.Get(DhcpOptionCode.UserClass), "iPXE");
        var mac = string.Join(':', packet.HardwareAddress.ToArray().Select(b => b.ToString("x2")));
        return new PxeClientRequest(mac, vendorClass, arch, ipxe, packet.Options.Get(DhcpOptionCode.ClientMachineIdentifier));
    }

    /// <summary>RFC 3004 §4 makes option 77 a list of length-prefixed classes; iPXE sends the bare string "iPXE"
    /// instead, so both forms are read.</summary>
    private static bool HasUserClass(byte[]? value, string wanted)
    {
        if (value is null) return false;
        if (Encoding.ASCII.GetString(value) == wanted) return true;
        var i = 0;
        while (i < value.Length)
        {
            int length = value[i++];
            if (length == 0 || i + length > value.Length) return false;
            if (Encoding.ASCII.GetString(value, i, length) == wanted) return true;
            i += length;
        }
        return false;
    }
}
