using System.Text.RegularExpressions;
using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>The NVRAM boot configuration as `efibootmgr -v` prints it.</summary>
public sealed record EfiBootConfig(string? BootCurrent, IReadOnlyList<string> BootOrder, IReadOnlyList<EfiBootEntry> Entries);

/// <summary>Parses `efibootmgr -v`: BootCurrent/BootOrder lines, then "Boot####[*] LABEL&lt;TAB&gt;DEVICE-PATH" per entry.</summary>
public static partial class EfiBootMgr
{
    public static EfiBootConfig Parse(string text)
    {
        string? current = null;
        IReadOnlyList<string> order = [];
        var entries = new List<EfiBootEntry>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("BootCurrent:")) current = line["BootCurrent:".Length..].Trim();
            else if (line.StartsWith("BootOrder:"))
                order = line["BootOrder:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            else if (EntryLine().Match(line) is { Success: true } m)
            {
                // Label and device path are tab-separated; efibootmgr 17 and older may use spaces, so fall back to the
                // first device-path-looking token.
                var rest = m.Groups["rest"].Value;
                var tab = rest.IndexOf('\t');
                var (label, path) = tab >= 0 ? (rest[..tab], rest[(tab + 1)..]) : SplitWithoutTab(rest);
                path = path.Trim();
                var hd = HdNode().Match(path);
                var file = FileNode().Match(path);
                entries.Add(new EfiBootEntry
                {
                    Number = m.Groups["num"].Value.ToUpperInvariant(),
                    Label = label.Trim(),
                    Active = m.Groups["active"].Value == "*",
                    DevicePath = path.Length == 0 ? null : path,
                    PartitionUuid = hd.Success ? hd.Groups["uuid"].Value.ToLowerInvariant() : null,
                    LoaderPath = file.Success ? file.Groups["path"].Value : null,
                });
            }
        }
        return new EfiBootConfig(current, order, entries);
    }

    private static (string Label, string Path) SplitWithoutTab(string rest)
    {
        var m = DevicePathStart().Match(rest);
        return m.Success ? (rest[..m.Index], rest[m.Index..]) : (rest, "");
    }

    [GeneratedRegex(@"^Boot(?<num>[0-9A-Fa-f]{4})(?<active>\*?)\s(?<rest>.*)$")]
    private static partial Regex EntryLine();

    // HD(partition number, GPT, partition GUID, start, size)
    [GeneratedRegex(@"HD\(\d+,GPT,(?<uuid>[0-9A-Fa-f-]{36})", RegexOptions.IgnoreCase)]
    private static partial Regex HdNode();

    [GeneratedRegex(@"File\((?<path>[^)]+)\)")]
    private static partial Regex FileNode();

    [GeneratedRegex(@"\s(?=(HD|PciRoot|Pci|FvVol|FvFile|VenHw|VenMsg|BBS|MemoryMapped|Acpi|File)\()")]
    private static partial Regex DevicePathStart();
}
