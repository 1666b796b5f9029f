using System.Text;

namespace RescueKit.Net.Http;

/// <summary>The request line and header fields of an HTTP/1.x request (RFC 9112 §3, §5); field names case-insensitive.</summary>
internal sealed record HttpRequestHead(string Method, string Target, string Version, IReadOnlyDictionary<string, string> Fields)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var v) ? v : null;

    /// <summary>RFC 9112 §9.3: HTTP/1.1 keeps the connection unless "close"; HTTP/1.0 only with "keep-alive".</summary>
    public bool KeepAlive
    {
        get
        {
            var connection = Field("Connection")?.ToLowerInvariant() ?? "";
            return Version == "HTTP/1.1" ? !connection.Contains("close") : connection.Contains("keep-alive");
        }
    }

    /// <summary>Parses the head (without the blank line); null when malformed.</summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return null;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            fields[name] = fields.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;
        }
        return new HttpRequestHead(requestLine[0], requestLine[1], requestLine[2], fields);
    }
}
