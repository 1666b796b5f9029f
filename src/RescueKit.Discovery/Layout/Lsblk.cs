using System.Text.Json;

namespace RescueKit.Discovery.Layout;

/// <summary>One block device of `lsblk -J -b -O`, its holders (partitions, md, dm devices) as children.</summary>
public sealed record LsblkDevice
{
    public required string Name { get; init; }
    public required string Path { get; init; }

    /// <summary>The kernel's name (dm-0 for /dev/mapper/vg-root), as /proc/swaps and sysfs name the device.</summary>
    public string? KName { get; init; }

    /// <summary>disk, part, loop, rom, raid1, raid5, lvm, crypt, md ...</summary>
    public required string Type { get; init; }

    public long Size { get; init; }
    public string? MajMin { get; init; }
    public int LogicalSectorSize { get; init; } = 512;
    public int PhysicalSectorSize { get; init; } = 512;
    public string? Model { get; init; }
    public string? Serial { get; init; }
    public string? Wwn { get; init; }
    public string? Transport { get; init; }
    public string? PtType { get; init; }
    public string? PtUuid { get; init; }
    public string? PartUuid { get; init; }
    public string? FsType { get; init; }
    public string? Uuid { get; init; }
    public string? Label { get; init; }
    public IReadOnlyList<string> MountPoints { get; init; } = [];
    public IReadOnlyList<LsblkDevice> Children { get; init; } = [];

    /// <summary>This device and everything under it, depth first.</summary>
    public IEnumerable<LsblkDevice> SelfAndDescendants() => Children.SelectMany(c => c.SelfAndDescendants()).Prepend(this);
}

/// <summary>Parses `lsblk -J -b -O` (util-linux 2.33 and later: "children" nesting, "log-sec", "maj:min").</summary>
public static class Lsblk
{
    public static IReadOnlyList<LsblkDevice> Parse(string json)
    {
        using var doc = JsonFields.Parse(json, "lsblk");
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("blockdevices", out _))
            throw new InvalidDataException("lsblk printed JSON without a blockdevices list");
        return JsonFields.Array(doc.RootElement, "blockdevices").Select(Device).ToArray();
    }

    private static LsblkDevice Device(JsonElement e)
    {
        var name = JsonFields.String(e, "name") ?? throw new InvalidDataException("lsblk listed a device without a name");
        return new LsblkDevice
        {
            Name = name,
            Path = JsonFields.String(e, "path") ?? "/dev/" + name,
            KName = JsonFields.String(e, "kname"),
            Type = JsonFields.String(e, "type") ?? "unknown",
            Size = JsonFields.Long(e, "size") ?? 0,
            MajMin = JsonFields.String(e, "maj:min"),
            LogicalSectorSize = (int)(JsonFields.Long(e, "log-sec") ?? 512),
            PhysicalSectorSize = (int)(JsonFields.Long(e, "phy-sec") ?? 512),
            Model = JsonFields.String(e, "model")?.Trim(),
            Serial = JsonFields.String(e, "serial")?.Trim(),
            Wwn = JsonFields.String(e, "wwn"),
            Transport = JsonFields.String(e, "tran"),
            PtType = JsonFields.String(e, "pttype"),
            PtUuid = JsonFields.String(e, "ptuuid"),
            PartUuid = JsonFields.String(e, "partuuid"),
            FsType = JsonFields.String(e, "fstype"),
            Uuid = JsonFields.String(e, "uuid"),
            Label = JsonFields.String(e, "label"),
            // Older lsblk has only "mountpoint"; 2.37+ adds the "mountpoints" list (null entries for none).
            MountPoints = JsonFields.Strings(e, "mountpoints") is { Count: > 0 } list ? list
                : JsonFields.String(e, "mountpoint") is { } mp ? [mp] : [],
            Children = JsonFields.Array(e, "children").Select(Device).ToArray(),
        };
    }
}
