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
        var probe = UsbStickProbe.Probe(target);
        if (probe.Stick is { } s)
        {
            if (target.DataBytes is not null)
                context.Log.Warning("--data-size is ignored: {Target} keeps its data partition ({Size})", probe.What, UsbLayout.Size(s.Layout.DataBytes));
            Update(context, probe.Table!, s.Layout, s.Active, probe.What, cancellationToken);
            return;
        }
        WriteNew(context, probe.Bytes, probe.What, cancellationToken);
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
}
