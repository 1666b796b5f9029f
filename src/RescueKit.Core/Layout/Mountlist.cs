namespace RescueKit.Core.Layout;

/// <summary>
/// A layout as a Mondo-style mountlist: every device with what it holds (a filesystem and its mount point, swap, an md
/// member, an LVM PV, a LUKS header), in device order. `layout show` prints it; the restore edits it.
/// </summary>
public static class Mountlist
{
    public static IReadOnlyList<MountlistEntry> Of(HostLayout layout)
    {
        var sizes = layout.Disks.SelectMany(d => d.Partitions.Select(p => (p.Device, Size: p.SizeSectors * d.LogicalSectorSize)))
            .Concat(layout.Disks.Select(d => (Device: d.Path, d.Size)))
            .GroupBy(x => x.Device).ToDictionary(g => g.Key, g => g.First().Size);
        long? SizeOf(string device, long? known = null) => known ?? (sizes.TryGetValue(device, out var s) ? s : null);

        var entries = new List<MountlistEntry>();
        entries.AddRange(layout.Filesystems.Select(f =>
            new MountlistEntry(MountlistRole.Filesystem, f.Device, f.MountPoint, f.Type, SizeOf(f.Device, f.Size), f.Label, f.Uuid)));
        entries.AddRange(layout.Swaps.Select(s =>
            new MountlistEntry(MountlistRole.Swap, s.Device, "swap", s.Active ? "swap" : "swap (off)", SizeOf(s.Device, s.Size), s.Label, s.Uuid)));
        entries.AddRange(layout.MdArrays.SelectMany(m => m.Members.Select(x => x.Device).Concat(m.Spares).Select(d =>
            new MountlistEntry(MountlistRole.RaidMember, d, "raid", $"{m.Device} {m.Level}", SizeOf(d), m.Name, m.Uuid))));
        entries.AddRange(layout.Lvm.PhysicalVolumes.Select(p =>
            new MountlistEntry(MountlistRole.PhysicalVolume, p.Device, "lvm", $"lvm pv {p.VolumeGroup ?? "(no VG)"}", SizeOf(p.Device, p.Size), null, p.Uuid)));
        entries.AddRange(layout.Luks.Select(l =>
            new MountlistEntry(MountlistRole.Luks, l.Device, "luks", $"luks{l.Version} {l.MappedName ?? ""}".TrimEnd(), SizeOf(l.Device), l.Label, l.Uuid)));
        // Natural order: /dev/sda2 before /dev/sda10.
        return entries.OrderBy(e => e.Device, NaturalVersionComparer.Instance).ToList();
    }
}
