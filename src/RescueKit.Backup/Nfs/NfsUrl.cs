using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RescueKit.Core;

namespace RescueKit.Backup.Nfs;

/// <summary>
/// A backup target or backup on an NFS server, <c>nfs://HOST[:PORT]/PATH</c> as ReaR's BACKUP_URL writes it
/// (docs/backup.md "NFS targets"): HOST an IPv4 address, a [bracketed] IPv6 address or a DNS name; PATH the export
/// and any directory below it, mounted as one (NFSv4 mounts any directory of the server's pseudo tree).
/// </summary>
public sealed record NfsUrl
{
    public const string Scheme = "nfs://";
    private const string Form = "nfs://HOST[:PORT]/EXPORT/PATH";

    private NfsUrl(string host, int? port, string path)
    {
        Host = host;
        Port = port;
        Path = path;
    }

    /// <summary>The server as written, without brackets for IPv6.</summary>
    public string Host { get; }

    /// <summary>The server's NFS port, when the URL names one (else the protocol's default, 2049).</summary>
    public int? Port { get; }

    /// <summary>The absolute path on the server, without a trailing slash.</summary>
    public string Path { get; }

    /// <summary>The device argument of mount.nfs: <c>HOST:/PATH</c>, <c>[v6]:/PATH</c>.</summary>
    public string MountSource => $"{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Path}";

    public static bool IsNfs(string text) => text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="text"/>; a bad URL is a <see cref="BadInputException"/> naming <paramref name="what"/> (e.g. "--to").</summary>
    public static NfsUrl Parse(string text, string what)
    {
        if (!IsNfs(text)) throw Bad(text, what, "it does not start with nfs://");
        var rest = text[Scheme.Length..];
        if (rest.IndexOfAny(['?', '#']) >= 0) throw Bad(text, what, "queries and fragments (? and #) have no meaning here");
        if (rest.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) throw Bad(text, what, "it contains a space or a control character");
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[slash..].TrimEnd('/');
        if (authority.Contains('@', StringComparison.Ordinal)) throw Bad(text, what, "NFS has no user name or password in its URL");

        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw Bad(text, what, "the IPv6 address has no closing ]");
            host = authority[1..close];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                throw Bad(text, what, $"[{host}] is not an IPv6 address");
            var after = authority[(close + 1)..];
            if (after.Length > 0)
                portText = after.StartsWith(':') ? after[1..] : throw Bad(text, what, $"'{after}' after the IPv6 address is not :PORT");
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? authority : authority[..colon];
            if (colon >= 0) portText = authority[(colon + 1)..];
            if (host.Length > 0 && !IsHostName(host)) throw Bad(text, what, $"'{host}' is neither an IPv4 address nor a host name");
        }
        if (host.Length == 0) throw Bad(text, what, "it names no server");

        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                throw Bad(text, what, $"the port '{portText}' is not a number from 1 to 65535");
            port = p;
        }
        if (path.Length == 0) throw Bad(text, what, "it names no exported directory after the server");
        if (path.Split('/').Any(part => part is "." or ".."))
            throw Bad(text, what, "the path has a . or .. component: write the directory's own path");
        return new NfsUrl(host, port, path);
    }

    /// <summary>This URL with <paramref name="relative"/> (a/b) appended to its path.</summary>
    public NfsUrl Append(string relative) => new(Host, Port, Path + "/" + relative.Trim('/'));

    /// <summary>The URL one directory up (the path stays absolute and non-empty).</summary>
    public NfsUrl? Parent()
    {
        var cut = Path.LastIndexOf('/');
        return cut <= 0 ? null : new NfsUrl(Host, Port, Path[..cut]);
    }

    /// <summary>The last component of the path (a backup's id, for a backup URL).</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>
    /// The path of <paramref name="other"/> below this URL's directory (a/b), or null when it is on another server or
    /// port or not below it.
    /// </summary>
    public string? RelativePathOf(NfsUrl other) =>
        string.Equals(other.Host, Host, StringComparison.OrdinalIgnoreCase) && other.Port == Port
        && other.Path.StartsWith(Path + "/", StringComparison.Ordinal)
            ? other.Path[(Path.Length + 1)..]
            : null;

    public override string ToString() =>
        Scheme + (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)
        + (Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "") + Path;

    // RFC 1123 host names (letters, digits, '-', dots between labels); a dotted quad is one of them, and is checked
    // as an address so that 10.0.2.300 is refused rather than looked up in DNS.
    private static bool IsHostName(string host)
    {
        var labels = host.Split('.');
        if (labels.All(l => l.Length > 0 && l.All(char.IsAsciiDigit)))
            return labels.Length == 4 && labels.All(l => int.TryParse(l, CultureInfo.InvariantCulture, out var b) && b <= 255);
        return host.Length <= 253 && labels.All(l =>
            l.Length is >= 1 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && l[0] != '-' && l[^1] != '-');
    }

    private static BadInputException Bad(string text, string what, string problem) =>
        new($"{what} {text}: {problem}; write it as {Form}, e.g. nfs://192.168.1.5/srv/backups");
}
