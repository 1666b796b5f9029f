using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>
/// Parses `mdadm --detail --export MD` (MD_LEVEL, MD_METADATA, MD_UUID, MD_NAME, MD_DEVICES and per member
/// MD_DEVICE_x_ROLE / MD_DEVICE_x_DEV). Chunk and layout are not exported; <see cref="WithMdStat"/> adds them from
/// /proc/mdstat.
/// </summary>
internal static class MdadmDetail
{
    public static MdArray Parse(string device, string text)
    {
        var values = KeyValueLines.Parse(text, "mdadm --detail --export");
        string Need(string key) => values.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"mdadm --detail --export {device} printed no {key}");
        string? Get(string key) => values.GetValueOrDefault(key);

        // Members are keyed by a sanitised sysfs name; the DEV line gives the node and the ROLE line its slot or "spare".
        var members = new List<MdMember>();
        var spares = new List<string>();
        foreach (var (key, role) in values.Where(kv => kv.Key.StartsWith("MD_DEVICE_") && kv.Key.EndsWith("_ROLE")))
        {
            var id = key["MD_DEVICE_".Length..^"_ROLE".Length];
            var node = Get($"MD_DEVICE_{id}_DEV") ?? "/dev/" + id;
            if (int.TryParse(role, out var slot)) members.Add(new MdMember(node, slot));
            else if (role == "spare") spares.Add(node);
        }
        return new MdArray
        {
            Device = device,
            Level = Need("MD_LEVEL"),
            Metadata = Get("MD_METADATA"),
            Uuid = Need("MD_UUID"),
            Name = Get("MD_NAME"),
            RaidDevices = int.TryParse(Get("MD_DEVICES"), out var n) ? n : members.Count,
            Members = members.OrderBy(m => m.Slot).ToArray(),
            Spares = spares.Order(StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>Adds the chunk size and layout /proc/mdstat reports; raid1 and linear have neither.</summary>
    public static MdArray WithMdStat(MdArray array, MdStatEntry? stat) =>
        stat is null ? array : array with { ChunkSize = stat.ChunkSize, Layout = stat.Layout };

    /// <summary>The md layout number (md_p.h ALGORITHM_*, raid10 near/far/offset copies) as mdadm --layout spells it.</summary>
    internal static string? LayoutName(string level, int layout) => level switch
    {
        "raid5" or "raid6" or "raid4" => layout switch
        {
            0 => "left-asymmetric",
            1 => "right-asymmetric",
            2 => "left-symmetric",
            3 => "right-symmetric",
            4 => "parity-first",
            5 => "parity-last",
            16 => "ddf-zero-restart",
            17 => "ddf-N-restart",
            18 => "ddf-N-continue",
            _ => layout.ToString(),
        },
        // raid10: bits 0-7 near copies, 8-15 far copies, bit 16 "offset" (the far copies are offset, not far).
        "raid10" => (layout & 0xff, (layout >> 8) & 0xff, (layout & 0x10000) != 0) switch
        {
            (var near, 1, _) when near > 1 => $"n{near}",
            (1, var far, false) when far > 1 => $"f{far}",
            (1, var far, true) when far > 1 => $"o{far}",
            _ => layout.ToString(),
        },
        _ => null,
    };
}

/// <summary>KEY=value lines (mdadm --export, os-release style), later keys winning.</summary>
internal static class KeyValueLines
{
    public static Dictionary<string, string> Parse(string text, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new InvalidDataException($"{source} printed a line that is not KEY=value: '{line}'");
            values[line[..eq]] = line[(eq + 1)..];
        }
        return values;
    }
}
