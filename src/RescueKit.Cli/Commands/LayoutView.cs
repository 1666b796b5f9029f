using RescueKit.Core.Layout;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>
/// Renders a layout for people: the mountlist (<see cref="Core.Layout.Mountlist"/>), then the disks, RAID, LVM and
/// LUKS sections and the boot loader. The console is injected; plain mode (a pipe, a file) draws no borders.
/// </summary>
internal sealed class LayoutView(IAnsiConsole console, bool plain)
{
    public void Render(HostLayout layout)
    {
        var title = layout.HostName is null ? string.Join(", ", layout.Scope) : layout.HostName;
        console.MarkupLine($"[bold]Layout of {Markup.Escape(title)}[/], captured {layout.CapturedAt:yyyy-MM-dd HH:mm:ss} UTC by rescuekit {Markup.Escape(layout.ToolVersion)}");
        Section("Mountlist", ["Device", "Mount point", "Format", "Size", "Label / UUID"], MountlistRows(layout));
        Section("Disks", ["Disk", "Size", "Table", "Partitions", "Model"], layout.Disks.Select(d => new[]
        {
            d.Path, Size(d.Size), d.TableType ?? "none", d.Partitions.Count.ToString(), d.Model ?? "",
        }));
        if (layout.MdArrays.Count > 0)
            Section("RAID", ["Array", "Level", "Members", "Spares", "Chunk", "UUID"], layout.MdArrays.Select(m => new[]
            {
                m.Device, m.Level + (m.Layout is null ? "" : $" {m.Layout}"),
                string.Join(" ", m.Members.Select(x => x.Device)), string.Join(" ", m.Spares),
                m.ChunkSize is { } c ? Size(c) : "", m.Uuid,
            }));
        if (layout.Lvm.VolumeGroups.Count > 0)
            Section("LVM", ["Volume", "Type", "Size", "Details"], Lvm(layout.Lvm));
        if (layout.Luks.Count > 0)
            Section("LUKS", ["Device", "Version", "Cipher", "Open as", "UUID"], layout.Luks.Select(l => new[]
            {
                l.Device, $"LUKS{l.Version}", $"{l.Cipher} {l.KeySize} bits", l.MappedName ?? "(closed)", l.Uuid,
            }));
        console.WriteLine();
        console.WriteLine("Boot loader: " + BootLoader(layout.BootLoader));
        foreach (var note in layout.Notes) console.WriteLine("Note: " + note);
    }

    private static IEnumerable<string[]> MountlistRows(HostLayout layout) => Mountlist.Of(layout).Select(e => new[]
    {
        e.Device, e.MountPoint ?? "-", e.Format, e.Size is { } b ? Size(b) : "",
        // An md member's column names its array: the array's name, or its UUID when it has none.
        e.Role == MountlistRole.RaidMember ? e.Label ?? e.Uuid ?? "" : LabelOrUuid(e.Label, e.Uuid),
    });

    private static IEnumerable<string[]> Lvm(LvmLayout lvm) => lvm.VolumeGroups.SelectMany(vg =>
        vg.LogicalVolumes.Select(lv => new[]
        {
            $"{vg.Name}/{lv.Name}", lv.SegmentType, Size(lv.Size),
            lv.Pool is not null ? $"pool {lv.Pool}" : lv.Stripes > 1 ? $"{lv.Stripes} stripes of {Size(lv.StripeSize ?? 0)}" : "",
        }).Prepend([
            vg.Name, "VG", Size(vg.Size),
            $"extent {Size(vg.ExtentSize)}, PVs {string.Join(" ", lvm.PhysicalVolumes.Where(p => p.VolumeGroup == vg.Name).Select(p => p.Device))}",
        ]));

    private static string BootLoader(BootLoaderInfo? boot) => boot switch
    {
        null => "none found",
        { Kind: BootLoaderInfo.BiosGrub } => $"BIOS GRUB on {string.Join(", ", boot.InstallDevices)}" + (boot.Esp is null ? "" : $" (ESP {boot.Esp})"),
        _ => $"UEFI, ESP {boot.Esp ?? "not found"}" +
             (boot.EfiBootEntries.Count == 0 ? "" : "; " + string.Join(", ", boot.EfiBootEntries.Select(e => $"Boot{e.Number} {e.Label}"))),
    };

    private static string LabelOrUuid(string? label, string? uuid) =>
        label is null ? uuid ?? "" : uuid is null ? label : $"{label} / {uuid}";

    /// <summary>Sizes as people read them: binary units, one decimal (Mondo prints MB).</summary>
    internal static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : $"{value:0.#} {units[unit]}";
    }

    private void Section(string title, string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table { Border = plain ? TableBorder.None : TableBorder.Rounded };
        if (!plain) table.Title = new TableTitle(title);
        foreach (var h in headers) table.AddColumn(new TableColumn(plain ? h : $"[bold]{h}[/]"));
        foreach (var row in rows) table.AddRow(row.Select(c => new Text(c)).ToArray<Spectre.Console.Rendering.IRenderable>());
        console.WriteLine();
        if (plain) console.WriteLine(title + ":");
        console.Write(table);
    }
}
