using System.Text.Json;
using RescueKit.Core.Layout;

namespace RescueKit.Discovery.Layout;

/// <summary>A partition table as `sfdisk -J DEV` reports it.</summary>
internal sealed record SfdiskTable(string Label, string? Id, string Device, int SectorSize, long? FirstLba, long? LastLba,
    IReadOnlyList<PartitionInfo> Partitions);

/// <summary>Parses `sfdisk -J` (util-linux 2.32 and later).</summary>
internal static class Sfdisk
{
    // MBR type ids of extended partitions (DOS, Windows LBA, Linux); partitions numbered 5 and up are logical.
    private static readonly HashSet<string> ExtendedTypes = new(StringComparer.OrdinalIgnoreCase) { "5", "f", "85" };

    public static SfdiskTable Parse(string json)
    {
        using var doc = JsonFields.Parse(json, "sfdisk");
        if (!doc.RootElement.TryGetProperty("partitiontable", out var t) || t.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException("sfdisk printed JSON without a partitiontable object");
        var label = JsonFields.String(t, "label") ?? throw new InvalidDataException("sfdisk's partition table has no label (type)");
        var device = JsonFields.String(t, "device") ?? throw new InvalidDataException("sfdisk's partition table names no device");
        var dos = label == "dos";
        var partitions = JsonFields.Array(t, "partitions").Select(p =>
        {
            var node = JsonFields.String(p, "node") ?? throw new InvalidDataException("sfdisk listed a partition without a node");
            var type = JsonFields.String(p, "type") ?? throw new InvalidDataException($"sfdisk gave partition {node} no type");
            return new PartitionInfo
            {
                Number = NumberOf(node, device),
                Device = node,
                Start = JsonFields.Long(p, "start") ?? throw new InvalidDataException($"sfdisk gave partition {node} no start"),
                SizeSectors = JsonFields.Long(p, "size") ?? throw new InvalidDataException($"sfdisk gave partition {node} no size"),
                Type = type,
                Uuid = JsonFields.String(p, "uuid"),
                Name = JsonFields.String(p, "name"),
                Attributes = JsonFields.String(p, "attrs"),
                Bootable = dos ? JsonFields.Bool(p, "bootable") : null,
                Role = !dos ? null : ExtendedTypes.Contains(type) ? "extended" : NumberOf(node, device) >= 5 ? "logical" : "primary",
            };
        }).ToArray();
        return new SfdiskTable(label, JsonFields.String(t, "id"), device, (int)(JsonFields.Long(t, "sectorsize") ?? 512),
            JsonFields.Long(t, "firstlba"), JsonFields.Long(t, "lastlba"), partitions);
    }

    /// <summary>The partition number at the end of a node name: sda1, nvme0n1p2, loop0p3, disk.img5.</summary>
    internal static int NumberOf(string node, string device)
    {
        var digits = node.Length - node.AsSpan().TrimEnd("0123456789").Length;
        if (digits == 0 || !node.StartsWith(device, StringComparison.Ordinal))
            throw new InvalidDataException($"sfdisk's partition node '{node}' does not end in a number after '{device}'");
        return int.Parse(node.AsSpan(node.Length - digits));
    }
}
