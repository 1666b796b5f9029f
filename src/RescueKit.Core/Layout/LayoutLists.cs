namespace RescueKit.Core.Layout;

/// <summary>
/// Checks that a deserialized layout has every list. layout.json always writes its lists (empty ones as []), but the
/// source-generated reader sets an absent one to null (it builds the records through their init accessors), and the
/// model promises callers non-null lists: a file without one is not a valid layout.
/// </summary>
internal static class LayoutLists
{
    public static void Check(HostLayout l)
    {
        Need(l.Scope, "$.scope");
        Need(l.Disks, "$.disks");
        Need(l.MdArrays, "$.mdArrays");
        Need(l.Lvm, "$.lvm");
        Need(l.Luks, "$.luks");
        Need(l.Filesystems, "$.filesystems");
        Need(l.Swaps, "$.swaps");
        Need(l.Fstab, "$.fstab");
        Need(l.Notes, "$.notes");
        Each(l.Disks, "$.disks", (d, at) => Need(d.Partitions, at + ".partitions"));
        Each(l.MdArrays, "$.mdArrays", (m, at) =>
        {
            Need(m.Members, at + ".members");
            Need(m.Spares, at + ".spares");
        });
        Need(l.Lvm.PhysicalVolumes, "$.lvm.physicalVolumes");
        Need(l.Lvm.VolumeGroups, "$.lvm.volumeGroups");
        Each(l.Lvm.VolumeGroups, "$.lvm.volumeGroups", (vg, at) => Need(vg.LogicalVolumes, at + ".logicalVolumes"));
        Each(l.Filesystems, "$.filesystems", (f, at) =>
        {
            if (f.Ext is not null) Need(f.Ext.Features, at + ".ext.features");
            if (f.Xfs is not null) Need(f.Xfs.Features, at + ".xfs.features");
            if (f.Btrfs is not null) Need(f.Btrfs.Subvolumes, at + ".btrfs.subvolumes");
        });
        if (l.BootLoader is { } b)
        {
            Need(b.InstallDevices, "$.bootLoader.installDevices");
            Need(b.BootOrder, "$.bootLoader.bootOrder");
            Need(b.EfiBootEntries, "$.bootLoader.efiBootEntries");
        }
    }

    private static void Need(object? value, string path)
    {
        if (value is null) throw new InvalidDataException($"not a valid layout ({path}: missing or null)");
    }

    private static void Each<T>(IReadOnlyList<T> items, string path, Action<T, string> check)
    {
        for (var i = 0; i < items.Count; i++)
        {
            Need(items[i], $"{path}[{i}]");
            check(items[i], $"{path}[{i}]");
        }
    }
}
