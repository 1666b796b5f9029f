using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>
/// Parses `cryptsetup luksDump DEV` text, LUKS1 and LUKS2. Only public header parameters are read; salts and digests
/// are skipped, and a dump never contains key material.
/// </summary>
internal static class LuksDump
{
    public static LuksDevice Parse(string device, string text)
    {
        // "Key:  value" lines; in LUKS2 dumps the unindented "Data segments:", "Keyslots:", "Digests:" lines open
        // sections whose indented lines describe segment 0, keyslot 0, digest 0 first.
        var top = new Dictionary<string, string>(StringComparer.Ordinal);
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? section = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0) continue;
            var indented = char.IsWhiteSpace(line[0]);
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (!indented && value.Length == 0)
            {
                sections[key] = section = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }
            var into = indented && section is not null ? section : top;
            if (!indented) section = null;
            into.TryAdd(key, value);
        }

        var version = top.TryGetValue("Version", out var v) && int.TryParse(v, out var n) ? n
            : throw new InvalidDataException($"cryptsetup luksDump {device} printed no Version: not a LUKS header dump");
        var uuid = top.GetValueOrDefault("UUID") ?? throw new InvalidDataException($"cryptsetup luksDump {device} printed no UUID");
        if (version == 1)
            return new LuksDevice
            {
                Device = device,
                Version = 1,
                Uuid = uuid,
                Cipher = $"{Need(top, "Cipher name", device)}-{Need(top, "Cipher mode", device)}",
                KeySize = Bits(Need(top, "MK bits", device), device),
                Hash = top.GetValueOrDefault("Hash spec"),
            };

        var segment = sections.GetValueOrDefault("Data segments") ?? [];
        var keyslot = sections.GetValueOrDefault("Keyslots") ?? [];
        var digest = sections.GetValueOrDefault("Digests") ?? [];
        var label = top.GetValueOrDefault("Label");
        return new LuksDevice
        {
            Device = device,
            Version = version,
            Uuid = uuid,
            Label = label is null or "(no label)" ? null : label,
            Cipher = Need(segment, "cipher", device),
            KeySize = Bits(Need(keyslot, "Key", device), device),
            Hash = digest.GetValueOrDefault("Hash"),
            SectorSize = segment.TryGetValue("sector", out var sector) && int.TryParse(sector.Split(' ')[0], out var s) ? s : null,
        };
    }

    private static string Need(Dictionary<string, string> values, string key, string device) =>
        values.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"cryptsetup luksDump {device} printed no '{key}'");

    // "512" (LUKS1 MK bits) or "512 bits" (LUKS2 keyslot Key).
    private static int Bits(string value, string device) =>
        int.TryParse(value.Split(' ')[0], out var bits) ? bits
            : throw new InvalidDataException($"cryptsetup luksDump {device}: key size '{value}' is not a number of bits");
}
