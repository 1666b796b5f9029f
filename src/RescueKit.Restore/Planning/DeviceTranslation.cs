using RescueKit.Core.Layout;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Planning;

/// <summary>
/// Source device names (layout.json) to the names they get on this machine: a disk to its target, a partition to the
/// same number on the target disk (vda2 → nvme0n1p2); md arrays, LVs and LUKS mappings keep their names. A device on
/// a skipped disk translates to null.
/// </summary>
internal sealed class DeviceTranslation
{
    private readonly Dictionary<string, string?> _map = new(StringComparer.Ordinal);

    public DeviceTranslation(HostLayout layout, DiskMapping mapping)
    {
        foreach (var disk in layout.Disks)
        {
            var target = mapping.TargetOf(disk.Path);
            _map[disk.Path] = target;
            foreach (var p in disk.Partitions)
                _map[p.Device] = target is null ? null : DeviceNames.Partition(target, p.Number);
        }
    }

    /// <summary>True when <paramref name="source"/> lives on a disk of the layout that is not restored.</summary>
    public bool IsSkipped(string source) => _map.TryGetValue(source, out var t) && t is null;

    /// <summary>The device's name here, or null when it is on a skipped disk.</summary>
    public string? Translate(string source) => _map.TryGetValue(source, out var t) ? t : source;
}
