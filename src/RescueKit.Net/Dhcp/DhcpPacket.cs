using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace RescueKit.Net.Dhcp;

/// <summary>
/// One DHCP message (RFC 2131 §2, figure 1), its fields named as the RFC names them. The fixed part is 236 bytes, then
/// the magic cookie 99.130.83.99 and the options (RFC 2132 §2).
/// </summary>
public sealed class DhcpPacket
{
    public const int FixedLength = 236;
    public const int OptionsOffset = FixedLength + 4;

    /// <summary>RFC 1542 §3.1.1 / RFC 2131: a reply is padded to at least the 300 bytes of a BOOTP message, which
    /// some PXE ROMs insist on.</summary>
    public const int MinimumLength = 300;

    public const byte BootRequest = 1;
    public const byte BootReply = 2;

    /// <summary>The broadcast bit of flags (RFC 2131 §2, figure 2).</summary>
    public const ushort BroadcastFlag = 0x8000;

    private static readonly byte[] MagicCookie = [99, 130, 83, 99];

    public byte Op { get; set; }
    public byte Htype { get; set; } = 1;
    public byte Hlen { get; set; } = 6;
    public byte Hops { get; set; }
    public uint Xid { get; set; }
    public ushort Secs { get; set; }
    public ushort Flags { get; set; }
    public IPAddress Ciaddr { get; set; } = IPAddress.Any;
    public IPAddress Yiaddr { get; set; } = IPAddress.Any;
    public IPAddress Siaddr { get; set; } = IPAddress.Any;
    public IPAddress Giaddr { get; set; } = IPAddress.Any;

    /// <summary>The 16-byte client hardware address field; the first <see cref="Hlen"/> bytes are the address.</summary>
    public byte[] Chaddr { get; set; } = new byte[16];

    /// <summary>Server host name, at most 63 bytes (the field is 64, NUL-terminated).</summary>
    public string Sname { get; set; } = "";

    /// <summary>Boot file name, at most 127 bytes (the field is 128, NUL-terminated).</summary>
    public string File { get; set; } = "";

    public DhcpOptions Options { get; set; } = new();

    /// <summary>The client's hardware address as <see cref="Hlen"/> bytes.</summary>
    public ReadOnlySpan<byte> HardwareAddress => Chaddr.AsSpan(0, Math.Min((int)Hlen, 16));

    public DhcpMessageType? MessageType =>
        Options.Get(DhcpOptionCode.MessageType) is [var t] ? (DhcpMessageType)t : null;

    /// <summary>Reads a message; null when it is too short, lacks the magic cookie or its options are cut off.</summary>
    public static DhcpPacket? Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < OptionsOffset || !data.Slice(FixedLength, 4).SequenceEqual(MagicCookie)) return null;
        var options = DhcpOptions.Parse(data[OptionsOffset..]);
        if (options is null) return null;
        return new DhcpPacket
        {
            Op = data[0],
            Htype = data[1],
            Hlen = data[2],
            Hops = data[3],
            Xid = BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
            Secs = BinaryPrimitives.ReadUInt16BigEndian(data[8..]),
            Flags = BinaryPrimitives.ReadUInt16BigEndian(data[10..]),
            Ciaddr = new IPAddress(data.Slice(12, 4)),
            Yiaddr = new IPAddress(data.Slice(16, 4)),
            Siaddr = new IPAddress(data.Slice(20, 4)),
            Giaddr = new IPAddress(data.Slice(24, 4)),
            Chaddr = data.Slice(28, 16).ToArray(),
            Sname = CString(data.Slice(44, 64)),
            File = CString(data.Slice(108, 128)),
            Options = options,
        };
    }

    public byte[] ToBytes()
    {
        var fixedPart = new byte[FixedLength];
        var span = fixedPart.AsSpan();
        span[0] = Op;
        span[1] = Htype;
        span[2] = Hlen;
        span[3] = Hops;
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], Xid);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], Secs);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], Flags);
        Address(Ciaddr, span[12..]);
        Address(Yiaddr, span[16..]);
        Address(Siaddr, span[20..]);
        Address(Giaddr, span[24..]);
        if (Chaddr.Length != 16) throw new InvalidOperationException($"chaddr is {Chaddr.Length} bytes; the field is 16");
        Chaddr.CopyTo(span[28..]);
        Field(Sname, span.Slice(44, 64), "sname");
        Field(File, span.Slice(108, 128), "file");
        var output = new List<byte>(MinimumLength);
        output.AddRange(fixedPart);
        output.AddRange(MagicCookie);
        Options.WriteTo(output);
        while (output.Count < MinimumLength) output.Add(DhcpOptionCode.Pad);
        return [.. output];
    }

    private static void Address(IPAddress address, Span<byte> into)
    {
        if (!address.TryWriteBytes(into[..4], out var written) || written != 4)
            throw new InvalidOperationException($"{address} is not an IPv4 address");
    }

    private static void Field(string text, Span<byte> into, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (bytes.Length >= into.Length) throw new InvalidOperationException($"{name} '{text}' is {bytes.Length} bytes; the field holds {into.Length - 1}");
        bytes.CopyTo(into);
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }
}
