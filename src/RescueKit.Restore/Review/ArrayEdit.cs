using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Restore.Planning;

namespace RescueKit.Restore.Review;

/// <summary>
/// An md array of the mountlist made at another RAID level or over other members. The members must be partitions (or
/// whole disks) of the layout that hold nothing else; whether their disks are restored is the mapping's, checked with
/// the flaws (<see cref="MissingMembers"/>). The array's size is estimated anew for its new shape, each member keeping
/// the superblock and data offset the array had on it; the filesystem on it is made to fit.
/// </summary>
internal static class ArrayEdit
{
    /// <summary>The levels mdadm --create makes, with the fewest members each takes.</summary>
    private static readonly Dictionary<string, int> Levels = new(StringComparer.Ordinal)
    {
        ["linear"] = 1, ["raid0"] = 2, ["raid1"] = 2, ["raid4"] = 3, ["raid5"] = 3, ["raid6"] = 4, ["raid10"] = 2,
    };

    /// <exception cref="BadInputException">The level or a member is not one the array can have (named).</exception>
    public static HostLayout Apply(HostLayout layout, string device, string? level, IReadOnlyList<string>? members)
    {
        var md = layout.MdArrays.FirstOrDefault(m => m.Device == device)
                 ?? throw new BadInputException($"{device} is no md array of the layout: only an array's level and members are changed");
        level = level?.Trim().ToLowerInvariant() ?? md.Level;
        if (!Levels.TryGetValue(level, out var fewest))
            throw new BadInputException($"'{level}' is not a RAID level mdadm makes: write one of {string.Join(", ", Levels.Keys)}");
        var devices = (members ?? md.Members.OrderBy(m => m.Slot).Select(m => m.Device).ToList()).Select(m => m.Trim()).Where(m => m.Length > 0).ToList();
        if (devices.Distinct(StringComparer.Ordinal).Count() != devices.Count)
            throw new BadInputException($"{device}: a member is named twice");
        if (devices.Count < fewest)
            throw new BadInputException($"{device}: a {level} array needs at least {fewest} members, {devices.Count} given");
        foreach (var member in devices) CheckFree(layout, md, member);

        var stack = new StorageStack(layout);
        var changed = md with
        {
            Level = level,
            RaidDevices = devices.Count,
            Members = devices.Select((d, i) => new MdMember(d, i)).ToList(),
            Spares = md.Spares.Where(s => !devices.Contains(s)).ToList(),
            // Another level's layout (left-symmetric, n2) means nothing to this one; mdadm chooses its default.
            Layout = level == md.Level ? md.Layout : null,
            ChunkSize = level is "raid0" or "raid4" or "raid5" or "raid6" or "raid10" ? md.ChunkSize : null,
        };
        changed = changed with { Size = EstimatedSize(stack, md, changed) };
        return layout with { MdArrays = layout.MdArrays.Select(m => m.Device == device ? changed : m).ToList() };
    }

    /// <summary>How many members of <paramref name="md"/> are on disks <paramref name="restored"/> says are not
    /// restored, when that is more than its level runs without; else null.</summary>
    public static string? MissingMembers(MdArray md, Func<string, bool> restored)
    {
        var missing = md.Members.Count(m => !restored(m.Device));
        var spared = md.Level switch
        {
            "raid1" => md.Members.Count - 1,
            "raid4" or "raid5" or "raid10" => 1,
            "raid6" => 2,
            _ => 0,
        };
        return missing > spared
            ? $"{missing} of its {md.Members.Count} members are on disks that are not restored, and a {md.Level} array of them runs without {(spared == 0 ? "none" : $"at most {spared}")}: map their disks or choose other members"
            : null;
    }

    private static void CheckFree(HostLayout layout, MdArray md, string member)
    {
        if (!layout.Disks.Any(d => d.Path == member && d.TableType is null) && !layout.Disks.SelectMany(d => d.Partitions).Any(p => p.Device == member))
            throw new BadInputException($"{member} is no partition of the layout's disks: an array's members are partitions (or whole disks without a table)");
        string? holds =
            layout.Filesystems.FirstOrDefault(f => f.Device == member) is { } fs ? $"the {fs.Type} filesystem of {fs.MountPoint ?? "nowhere"}"
            : layout.Swaps.Any(s => s.Device == member) ? "swap"
            : layout.Lvm.PhysicalVolumes.Any(p => p.Device == member) ? "an LVM physical volume"
            : layout.Luks.Any(l => l.Device == member) ? "a LUKS container"
            : layout.MdArrays.FirstOrDefault(m => m.Device != md.Device && (m.Members.Any(x => x.Device == member) || m.Spares.Contains(member))) is { } other ? $"a member of {other.Device}"
            : null;
        if (holds is not null) throw new BadInputException($"{member} holds {holds}: drop that first, then make it a member of {md.Device}");
    }

    /// <summary>The array's data bytes over its new members: what md reserves on each member (taken from the array as
    /// it was) off the smallest member, times the members that hold data.</summary>
    private static long? EstimatedSize(StorageStack stack, MdArray before, MdArray after)
    {
        var oldMembers = stack.MemberSizes(before).ToList();
        var newMembers = stack.MemberSizes(after).ToList();
        if (newMembers.Count == 0) return before.Size;
        var reserved = before.Size is { } size && oldMembers.Count > 0
            ? StorageStack.IsSum(before) ? (oldMembers.Sum() - size) / oldMembers.Count : oldMembers.Min() - size / StorageStack.DataDisks(before)
            : 0;
        if (StorageStack.IsSum(after)) return newMembers.Sum(m => m - reserved);
        var unit = after.ChunkSize is > 0 ? after.ChunkSize.Value : 1;
        return (newMembers.Min() - reserved) / unit * unit * StorageStack.DataDisks(after);
    }
}
