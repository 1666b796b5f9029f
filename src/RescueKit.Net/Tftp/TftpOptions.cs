namespace RescueKit.Net.Tftp;

/// <summary>
/// What one transfer runs with after option negotiation (RFC 2347 §"Negotiation Protocol": the server answers
/// only the options it accepts, possibly with a smaller value). Without any accepted option no OACK is sent and the
/// transfer starts with DATA 1 at RFC 1350's 512 bytes.
/// </summary>
internal sealed record TftpOptions(int BlockSize, int WindowSize, TimeSpan Timeout, IReadOnlyList<KeyValuePair<string, string>> Acknowledged)
{
    public const int DefaultBlockSize = 512;
    /// <summary>RFC 2348: 8 to 65464 octets.</summary>
    public const int MinBlockSize = 8, MaxBlockSize = 65464;
    /// <summary>RFC 7440: 1 to 65535 blocks.</summary>
    public const int MaxWindowSize = 65535;

    public static TftpOptions Negotiate(TftpRequest request, long? fileSize, TftpServerSettings settings)
    {
        var blockSize = DefaultBlockSize;
        var windowSize = 1;
        var timeout = settings.Timeout;
        var acked = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in request.Options)
        {
            switch (name.ToLowerInvariant())
            {
                // RFC 2348: the server may answer a smaller size than asked; below 8 the option is not accepted.
                case "blksize" when int.TryParse(value, out var b) && b >= MinBlockSize:
                    blockSize = Math.Min(b, settings.MaxBlockSize);
                    acked.Add(new("blksize", blockSize.ToString()));
                    break;
                // RFC 2349: in an RRQ tsize is 0 and the server answers the file's size (unknown for netascii).
                case "tsize" when fileSize is not null:
                    acked.Add(new("tsize", fileSize.Value.ToString()));
                    break;
                // RFC 2349: 1 to 255 seconds, echoed as asked.
                case "timeout" when int.TryParse(value, out var t) && t is >= 1 and <= 255:
                    timeout = TimeSpan.FromSeconds(t);
                    acked.Add(new("timeout", value));
                    break;
                // RFC 7440 §3: the server may answer a smaller window.
                case "windowsize" when int.TryParse(value, out var w) && w is >= 1 and <= MaxWindowSize:
                    windowSize = Math.Min(w, settings.MaxWindowSize);
                    acked.Add(new("windowsize", windowSize.ToString()));
                    break;
            }
        }
        return new TftpOptions(blockSize, windowSize, timeout, acked);
    }
}
