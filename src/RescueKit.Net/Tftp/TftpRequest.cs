using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Net.Tftp;

/// <summary>
/// An RRQ or WRQ (RFC 1350 §5: opcode, filename NUL, mode NUL) with the RFC 2347 options that may follow
/// (name NUL value NUL ..., names case-insensitive).
/// </summary>
internal sealed record TftpRequest(TftpOpcode Opcode, string Filename, string Mode, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>Parses a request packet; null when it is not a well-formed RRQ/WRQ.</summary>
    public static TftpRequest? Parse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 4) return null;
        var opcode = (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(packet);
        if (opcode is not (TftpOpcode.Rrq or TftpOpcode.Wrq)) return null;
        var fields = new List<string>();
        var rest = packet[2..];
        while (!rest.IsEmpty)
        {
            var nul = rest.IndexOf((byte)0);
            if (nul < 0) return null; // every field ends with NUL
            fields.Add(Encoding.Latin1.GetString(rest[..nul]));
            rest = rest[(nul + 1)..];
        }
        if (fields.Count < 2 || fields[0].Length == 0) return null;
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // RFC 2347: options come in pairs; a trailing odd field (seen from some ROMs padding the packet) is dropped.
        for (var i = 2; i + 1 < fields.Count; i += 2) options.TryAdd(fields[i], fields[i + 1]);
        return new TftpRequest(opcode, fields[0], fields[1].ToLowerInvariant(), options);
    }

    /// <summary>Writes an RRQ (a client's, for fetch and the tests).</summary>
    public static byte[] Rrq(string filename, IEnumerable<KeyValuePair<string, string>> options)
    {
        var ms = new MemoryStream();
        ms.Write([0, (byte)TftpOpcode.Rrq]);
        foreach (var field in new[] { filename, "octet" }.Concat(options.SelectMany(o => new[] { o.Key, o.Value })))
        {
            ms.Write(Encoding.Latin1.GetBytes(field));
            ms.WriteByte(0);
        }
        return ms.ToArray();
    }
}
