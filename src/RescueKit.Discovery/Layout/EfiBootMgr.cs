using System.Globalization;
using System.Text.RegularExpressions;
using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>The NVRAM boot configuration as `efibootmgr -v` prints it.</summary>
/// <param name="Timeout">The Timeout variable in seconds, when set.</param>
internal sealed record EfiBootConfig(string? BootCurrent, int? Timeout, IReadOnlyList<string> BootOrder, IReadOnlyList<EfiBootEntry> Entries);

/// <summary>
/// Parses `efibootmgr -v`: the BootCurrent, Timeout and BootOrder lines, then one line per entry. efibootmgr 17 (Debian
/// 12) prints "Boot####[*] LABEL&lt;TAB&gt;DEVICE-PATH" with the optional data straight after the device path's last
/// node, each byte as itself or '.' when unprintable (Fixtures/layout/uefi/efibootmgr.txt).
/// </summary>
internal static partial class EfiBootMgr
{
    /// <summary>One device path node in its text form, Name(arguments) (UEFI 2.10 §10.6).</summary>
    private readonly record struct Node(string Name, string Arguments);

    public static EfiBootConfig Parse(string text)
    {
        string? current = null;
        int? timeout = null;
        IReadOnlyList<string> order = [];
        var entries = new List<EfiBootEntry>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("BootCurrent:")) current = line["BootCurrent:".Length..].Trim();
            else if (TimeoutLine().Match(line) is { Success: true } t) timeout = int.Parse(t.Groups["seconds"].Value, CultureInfo.InvariantCulture);
            else if (line.StartsWith("BootOrder:"))
                order = line["BootOrder:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            else if (EntryLine().Match(line) is { Success: true } m) entries.Add(Entry(m));
        }
        return new EfiBootConfig(current, timeout, order, entries);
    }

    private static EfiBootEntry Entry(Match m)
    {
        // Label and device path are tab-separated; efibootmgr before 17 used a space, so fall back to the first
        // device-path-looking token.
        var rest = m.Groups["rest"].Value;
        var tab = rest.IndexOf('\t');
        var (label, printed) = tab >= 0 ? (rest[..tab], rest[(tab + 1)..]) : SplitWithoutTab(rest);
        printed = printed.Trim();
        var (nodes, pathLength) = DevicePath(printed);
        var optionalData = printed[pathLength..];
        var hd = nodes.Where(n => n.Name == "HD").Select(HardDrive).FirstOrDefault(h => h is not null);
        return new EfiBootEntry
        {
            Number = m.Groups["num"].Value.ToUpperInvariant(),
            Label = label.Trim(),
            Active = m.Groups["active"].Value == "*",
            Kind = hd is not null ? EfiBootEntry.HardDrive
                : nodes.Any(n => n.Name is "Fv" or "FvVol" or "FvFile") ? EfiBootEntry.FirmwareVolume
                : EfiBootEntry.Device,
            DevicePath = pathLength == 0 ? null : printed[..pathLength],
            PartitionNumber = hd?.Number,
            PartitionUuid = hd?.Guid,
            PartitionStart = hd?.Start,
            PartitionSize = hd?.Size,
            LoaderPath = nodes.Where(n => n.Name == "File").Select(n => n.Arguments).LastOrDefault(),
            OptionalData = optionalData.Length == 0 ? null : optionalData,
            OptionalDataText = optionalData.Length == 0 ? null : Ucs2Text(optionalData),
        };
    }

    private static (string Label, string Path) SplitWithoutTab(string rest)
    {
        var m = DevicePathStart().Match(rest);
        return m.Success ? (rest[..m.Index], rest[m.Index..]) : (rest, "");
    }

    /// <summary>
    /// The nodes of the device path that <paramref name="printed"/> starts with, and its length: nodes "Name(args)"
    /// joined by '/' (UEFI 2.10 §10.6.1; arguments may hold parentheses of their own, a file name may). What follows
    /// the last whole node is the optional data.
    /// </summary>
    private static (List<Node> Nodes, int Length) DevicePath(string printed)
    {
        var nodes = new List<Node>();
        var length = 0;
        var next = 0;
        while (NodeName().Match(printed, next) is { Success: true } name)
        {
            var open = name.Index + name.Length;
            var close = ClosingParenthesis(printed, open);
            if (close < 0) break;
            nodes.Add(new Node(name.Value[..^1], printed[open..close]));
            length = close + 1;
            if (length >= printed.Length || printed[length] != '/') break;
            next = length + 1;
        }
        return (nodes, length);
    }

    /// <summary>The index of the ')' closing the node whose arguments start at <paramref name="start"/>, or -1.</summary>
    private static int ClosingParenthesis(string text, int start)
    {
        var depth = 1;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')' && --depth == 0) return i;
        }
        return -1;
    }

    private sealed record HardDriveNode(int Number, string? Guid, long Start, long Size);

    /// <summary>
    /// HD(PartitionNumber,MBR|GPT,PartitionSignature,PartitionStart,PartitionSize) (UEFI 2.10 §10.6.1.6, the hard
    /// drive media node): the number in decimal, start and size in logical blocks, printed in hex by efivar.
    /// Null when the node does not have that form.
    /// </summary>
    private static HardDriveNode? HardDrive(Node node)
    {
        var a = node.Arguments.Split(',');
        if (a.Length != 5 || !int.TryParse(a[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || Number(a[3]) is not { } start || Number(a[4]) is not { } size)
            return null;
        var guid = a[1].Equals("GPT", StringComparison.OrdinalIgnoreCase) && Guid.TryParse(a[2], out var g) ? g.ToString() : null;
        return new HardDriveNode(number, guid, start, size);
    }

    private static long? Number(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var dec) ? dec : null;

    /// <summary>
    /// efibootmgr prints UCS-2 text (what -u writes, UEFI's CHAR16) as each character followed by a '.' for its zero
    /// high byte: "r.o.o.t.=.". Anything else (binary data, a GUID) is not text: null.
    /// </summary>
    internal static string? Ucs2Text(string printed)
    {
        if (printed.Length % 2 != 0) return null;
        var chars = new char[printed.Length / 2];
        for (var i = 0; i < chars.Length; i++)
        {
            if (printed[2 * i + 1] != '.') return null;
            chars[i] = printed[2 * i];
        }
        return new string(chars);
    }

    [GeneratedRegex(@"^Boot(?<num>[0-9A-Fa-f]{4})(?<active>\*?)\s(?<rest>.*)$")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"^Timeout:\s*(?<seconds>\d+) seconds?$")]
    private static partial Regex TimeoutLine();

    // \G: a node starts exactly where the previous one's '/' ended.
    [GeneratedRegex(@"\G[A-Za-z][A-Za-z0-9_]*\(")]
    private static partial Regex NodeName();

    [GeneratedRegex(@"\s(?=(HD|PciRoot|Pci|FvVol|FvFile|VenHw|VenMsg|BBS|MemoryMapped|Acpi|File)\()")]
    private static partial Regex DevicePathStart();
}
