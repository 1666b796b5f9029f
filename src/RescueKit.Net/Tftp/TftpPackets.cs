using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Net.Tftp;

/// <summary>Builds and reads the fixed-layout packets of RFC 1350 §5 (DATA, ACK, ERROR) and RFC 2347's OACK.</summary>
internal static class TftpPackets
{
    public const int HeaderSize = 4;

    public static TftpOpcode Opcode(ReadOnlySpan<byte> packet) =>
        packet.Length >= 2 ? (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(packet) : 0;

    /// <summary>The block number of a DATA or ACK packet.</summary>
    public static ushort Block(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);

    public static void WriteDataHeader(Span<byte> packet, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], block);
    }

    public static byte[] Ack(ushort block)
    {
        var p = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(p, (ushort)TftpOpcode.Ack);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), block);
        return p;
    }

    public static byte[] Error(TftpErrorCode code, string message)
    {
        var text = Encoding.ASCII.GetBytes(message);
        var p = new byte[5 + text.Length];
        BinaryPrimitives.WriteUInt16BigEndian(p, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)code);
        text.CopyTo(p, 4);
        return p;
    }

    /// <summary>The code and message of an ERROR packet.</summary>
    public static (TftpErrorCode Code, string Message) ReadError(ReadOnlySpan<byte> packet)
    {
        var code = packet.Length >= 4 ? (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) : TftpErrorCode.NotDefined;
        var text = packet.Length > 4 ? packet[4..] : [];
        var nul = text.IndexOf((byte)0);
        return (code, Encoding.ASCII.GetString(nul < 0 ? text : text[..nul]));
    }

    public static byte[] Oack(IEnumerable<KeyValuePair<string, string>> options)
    {
        var ms = new MemoryStream();
        ms.Write([0, (byte)TftpOpcode.Oack]);
        foreach (var (name, value) in options)
        {
            ms.Write(Encoding.ASCII.GetBytes(name)); ms.WriteByte(0);
            ms.Write(Encoding.ASCII.GetBytes(value)); ms.WriteByte(0);
        }
        return ms.ToArray();
    }

    /// <summary>The options of an OACK (RFC 2347), names lower-cased.</summary>
    public static Dictionary<string, string> ReadOack(ReadOnlySpan<byte> packet)
    {
        var fields = Encoding.ASCII.GetString(packet[2..]).Split('\0');
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < fields.Length; i += 2) options[fields[i]] = fields[i + 1];
        return options;
    }
}
