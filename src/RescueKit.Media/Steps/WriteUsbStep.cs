using RescueKit.Core;
using RescueKit.Formats.PartitionTables;
using RescueKit.Media.Usb;

namespace RescueKit.Media.Steps;

/// <summary>
/// Writes the rescue system onto a USB stick or image (docs/usb.md): a new stick, or new boot files on a RescueKit
/// stick keeping its data partition. Anything else is overwritten only with --wipe. A new or wiped image is written
/// beside its final name and renamed when complete.
/// </summary>
internal sealed class WriteUsbStep(UsbTarget target) : IBuildStep
{
    public string Title => "Writing the USB stick";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var exists = target.IsDevice || File.Exists(target.Path);
        var bytes = target.IsDevice ? DeviceBytes(target.Path) : target.ImageBytes ?? (exists ? new FileInfo(target.Path).Length : 0);
        if (bytes == 0)
            throw new BadInputException($"--image {target.Path} does not exist: give its size with --size SIZE (e.g. --size 2G)");

        GptDisk? table = null;
        (UsbLayout Layout, int Active)? stick = null;
        var blank = true;
        if (exists && (target.IsDevice || new FileInfo(target.Path).Length > 0))
        {
            using var probe = new FileStream(target.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var current = target.IsDevice ? bytes : probe.Length;
            table = GptDisk.Read(probe, current);
            if (table is not null) stick = UsbLayout.Recognise(table, current);
            var head = new byte[GptDisk.TableBytes + GptDisk.SectorSize];
            probe.Seek(0, SeekOrigin.Begin);
            probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            blank = head.All(b => b == 0);
        }
        var what = target.IsDevice ? $"--device {target.Path}" : $"--image {target.Path}";
        if (stick is { } s && !target.Wipe)
        {
            if (target.ImageBytes is { } asked && asked != s.Layout.DiskBytes)
                throw new BadInputException($"{what} is a RescueKit stick of {s.Layout.DiskBytes} bytes, not --size {asked}: " +
                                            "leave --size out to update it, or give --wipe to make it anew (its backups are lost)");
            if (target.DataBytes is not null)
                context.Log.Warning("--data-size is ignored: {Target} keeps its data partition ({Size})", what, UsbLayout.Size(s.Layout.DataBytes));
            Update(context, table!, s.Layout, s.Active, what, cancellationToken);
            return;
        }
        if (!blank && !target.Wipe)
            throw new BadInputException($"{what} is not a RescueKit stick ({(table is null ? "no GPT" : $"a GPT with {table.Partitions.Count} partitions")}" +
                                        " of other names): give --wipe to overwrite it (everything on it is lost)");
        WriteNew(context, bytes, what, cancellationToken);
    }

    private void Update(BuildContext context, GptDisk table, UsbLayout layout, int active, string what, CancellationToken cancellationToken)
    {
        var spare = 1 - active;
        var esp = UsbEspImage.Compose(context, spare, 0, layout.SlotStart(spare));
        if (esp.PlannedSizeBytes > layout.SlotBytes)
            throw new BadInputException($"the new boot files need a {UsbLayout.Size(esp.PlannedSizeBytes)} slot and {what} has " +
                                        $"{UsbLayout.Size(layout.SlotBytes)} slots: give --wipe to lay it out anew (its backups are lost)");
        esp.MinimumSizeBytes = layout.SlotBytes;
        using var disk = new FileStream(target.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        new UsbStickWriter(context.Runner, context.Log, target.Path).Update(disk, table, layout, active, esp, cancellationToken);
    }

    private void WriteNew(BuildContext context, long bytes, string what, CancellationToken cancellationToken)
    {
        var natural = UsbEspImage.Compose(context, 0, 0, UsbLayout.Alignment).PlannedSizeBytes;
        var layout = UsbLayout.Plan(bytes, UsbLayout.SlotBytesFor(natural), target.DataBytes, what);
        var esp = UsbEspImage.Compose(context, 0, layout.SlotBytes, layout.SlotStart(0));
        var mbr = File.ReadAllBytes(context.BootFiles!.GptMbr);
        var path = target.IsDevice ? target.Path : target.Path + ".partial";
        var done = false;
        try
        {
            using (var disk = new FileStream(path, target.IsDevice ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite))
            {
                if (!target.IsDevice) disk.SetLength(bytes);
                new UsbStickWriter(context.Runner, context.Log, path).WriteNew(disk, layout, esp, mbr, cancellationToken);
            }
            if (!target.IsDevice) File.Move(path, target.Path, overwrite: true);
            done = true;
        }
        finally
        {
            if (!done && !target.IsDevice) File.Delete(path);
        }
    }

    private static long DeviceBytes(string device)
    {
        using var stream = new FileStream(device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        // lseek(SEEK_END) gives a block device's size (st_size is 0 for one).
        return stream.Seek(0, SeekOrigin.End);
    }
}
