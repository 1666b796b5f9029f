using System.Text;
using RescueKit.Core.Layout;

namespace RescueKit.Restore.Planning;

/// <summary>
/// The sfdisk script (sfdisk(8) "INPUT FORMATS", the dump format) that recreates a disk's partition table on another
/// disk: the same label type and id, the same first usable sector, each partition at the same start and size with its
/// type, PARTUUID, name and attributes (GPT) or bootable flag (MBR, logical partitions inside their extended one).
/// The last usable sector is left to sfdisk, which puts it at the end of the target disk, unless the partitions were
/// resized to fill the disk: then the script says where the usable area ends, so that sfdisk refuses a disk that is not
/// the size the plan was made for rather than cut the last partition.
/// </summary>
internal static class SfdiskScript
{
    public static string For(DiskInfo disk, string target, DiskGeometry geometry)
    {
        var sb = new StringBuilder();
        sb.Append($"label: {disk.TableType}\n");
        if (disk.TableId is { } id) sb.Append($"label-id: {id}\n");
        sb.Append($"device: {target}\n");
        sb.Append("unit: sectors\n");
        if (disk.TableType == "gpt" && disk.FirstLba is { } first) sb.Append($"first-lba: {first}\n");
        if (disk.TableType == "gpt" && geometry.LastLba is { } last) sb.Append($"last-lba: {last}\n");
        sb.Append($"sector-size: {disk.LogicalSectorSize}\n\n");
        foreach (var p in disk.Partitions.OrderBy(p => p.Number))
        {
            var placed = geometry.Of(p.Number)!;
            var fields = new List<string> { $"start={placed.Start}", $"size={placed.SizeSectors}", $"type={p.Type}" };
            if (disk.TableType == "gpt")
            {
                if (p.Uuid is { } uuid) fields.Add($"uuid={uuid}");
                if (!string.IsNullOrEmpty(p.Name)) fields.Add($"name=\"{p.Name.Replace("\"", "")}\"");
                if (!string.IsNullOrEmpty(p.Attributes)) fields.Add($"attrs=\"{p.Attributes}\"");
            }
            else if (p.Bootable == true)
                fields.Add("bootable");
            sb.Append($"{DeviceNames.Partition(target, p.Number)} : {string.Join(", ", fields)}\n");
        }
        return sb.ToString();
    }
}
