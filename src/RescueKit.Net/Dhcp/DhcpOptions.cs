namespace RescueKit.Net.Dhcp;

/// <summary>
/// The options field of a DHCP message (RFC 2131 §4.1, RFC 2132 §2): code, length, value, in order; pad (0) is skipped
/// and end (255) closes the list. A code given twice is concatenated, as RFC 3396 asks of a long option split in parts.
/// Option overload (52: options continued in sname/file) is not read: PXE clients do not send it.
/// </summary>
public sealed class DhcpOptions
{
    private readonly List<(byte Code, byte[] Value)> _items = [];

    public IEnumerable<byte> Codes => _items.Select(i => i.Code);

    public byte[]? Get(byte code) => _items.FirstOrDefault(i => i.Code == code).Value;

    public bool Has(byte code) => _items.Any(i => i.Code == code);

    /// <summary>Sets an option (replacing one of the same code); a value over 255 bytes is refused, not split.</summary>
    public DhcpOptions Set(byte code, byte[] value)
    {
        if (code is DhcpOptionCode.Pad or DhcpOptionCode.End) throw new ArgumentException($"option {code} has no value", nameof(code));
        if (value.Length > 255) throw new ArgumentException($"option {code} is {value.Length} bytes; at most 255 fit one option", nameof(value));
        var at = _items.FindIndex(i => i.Code == code);
        if (at >= 0) _items[at] = (code, value);
        else _items.Add((code, value));
        return this;
    }

    /// <summary>Reads options from after the magic cookie; null when an option runs past the end of the packet.</summary>
    public static DhcpOptions? Parse(ReadOnlySpan<byte> data)
    {
        var options = new DhcpOptions();
        var i = 0;
        while (i < data.Length)
        {
            var code = data[i++];
            if (code == DhcpOptionCode.Pad) continue;
            if (code == DhcpOptionCode.End) return options;
            if (i >= data.Length) return null;
            int length = data[i++];
            if (i + length > data.Length) return null;
            var value = data.Slice(i, length).ToArray();
            i += length;
            var at = options._items.FindIndex(o => o.Code == code);
            if (at >= 0) options._items[at] = (code, [.. options._items[at].Value, .. value]);
            else options._items.Add((code, value));
        }
        return options; // no end option: accepted, as most servers do
    }

    public void WriteTo(List<byte> output)
    {
        foreach (var (code, value) in _items)
        {
            output.Add(code);
            output.Add((byte)value.Length);
            output.AddRange(value);
        }
        output.Add(DhcpOptionCode.End);
    }
}
