using System.Text.Json;
using RescueKit.Core;
using RescueKit.Host;
using RescueKit.Host.Native;

namespace RescueKit.Media.Usb;

/// <summary>
/// The refusals of `mkrescue --output usb --device` (docs/usb.md), checked before any build work: the path must be a
/// whole-disk block device, with nothing on it in use (no mounted file system, no swap, no RAID or LVM member, not the
/// disk the host runs from). lsblk reports the disk and everything stacked on it.
/// </summary>
public static class UsbDevice
{
    /// <summary>The mount points that make a disk the one the host runs from.</summary>
    private static readonly string[] SystemMounts = ["/", "/boot", "/boot/efi", "/usr", "/var"];

    /// <summary>The disk's size in bytes, and its model for the confirmation; throws <see cref="BadInputException"/> for each refusal.</summary>
    /// <param name="option">How the caller's messages name the disk (mkbackup's is --usb-device).</param>
    public static (long Bytes, string Description) Inspect(IToolRunner runner, string device, string option = "--device")
    {
        string resolved;
        FileStatus status;
        try
        {
            resolved = File.ResolveLinkTarget(device, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(device);
            status = HostTree.Lstat(resolved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{option} {device} cannot be read ({e.Message}): give a whole disk such as /dev/sdb");
        }
        if (status.Kind != FileKind.BlockDevice)
            throw new BadInputException($"{option} {device} is not a block device ({Describe(status.Kind)}): give a whole disk such as /dev/sdb, " +
                                        "or write an image with --image FILE --size SIZE");
        var json = runner.Run(["lsblk", "--json", "--bytes", "--output", "NAME,PATH,SIZE,TYPE,MODEL,MOUNTPOINTS", resolved]).StandardOutput;
        return Check(device, json, option);
    }

    /// <summary>The checks on `lsblk --json --bytes -o NAME,PATH,SIZE,TYPE,MODEL,MOUNTPOINTS DEV` output (unit-tested on captures).</summary>
    internal static (long Bytes, string Description) Check(string device, string lsblkJson, string option = "--device")
    {
        using var doc = JsonDocument.Parse(lsblkJson);
        var disk = doc.RootElement.GetProperty("blockdevices")[0];
        var type = Text(disk, "type");
        if (type is not ("disk" or "loop"))
            throw new BadInputException($"{option} {device} is a {type}, not a whole disk: give the disk it is on (lsblk shows it)");
        foreach (var (node, mount) in Mounts(disk))
        {
            if (SystemMounts.Contains(mount))
                throw new BadInputException($"{option} {device} is the disk this host runs from ({node} is mounted on {mount}): give the USB stick's disk");
            throw new BadInputException($"{option} {device} is in use: {node} is {(mount == "[SWAP]" ? "active swap" : $"mounted on {mount}")}; " +
                                        "unmount it (or swapoff) first, or give another disk");
        }
        if (disk.TryGetProperty("children", out var children))
            foreach (var holder in Stacked(children).Where(c => Text(c, "type") is not "part"))
                throw new BadInputException($"{option} {device} is in use: {Text(holder, "path")} ({Text(holder, "type")}) is built on it; " +
                                            "stop it (mdadm --stop, vgchange -an) first, or give another disk");
        var bytes = disk.GetProperty("size").GetInt64();
        var model = Text(disk, "model");
        return (bytes, $"{Text(disk, "path")}, {UsbLayout.Size(bytes)}{(string.IsNullOrWhiteSpace(model) ? "" : $", {model.Trim()}")}");
    }

    private static IEnumerable<(string Node, string Mount)> Mounts(JsonElement node)
    {
        if (node.TryGetProperty("mountpoints", out var mounts) && mounts.ValueKind == JsonValueKind.Array)
            foreach (var m in mounts.EnumerateArray())
                if (m.ValueKind == JsonValueKind.String) yield return (Text(node, "path"), m.GetString()!);
        if (node.TryGetProperty("children", out var children))
            foreach (var child in children.EnumerateArray())
                foreach (var m in Mounts(child)) yield return m;
    }

    private static IEnumerable<JsonElement> Stacked(JsonElement children)
    {
        foreach (var child in children.EnumerateArray())
        {
            yield return child;
            if (child.TryGetProperty("children", out var more))
                foreach (var c in Stacked(more)) yield return c;
        }
    }

    private static string Text(JsonElement node, string name) =>
        node.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.CharacterDevice => "a character device",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
