using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Review;

namespace RescueKit.Restore.Tui;

/// <summary>
/// The lines the pages show, made from the engine's objects and nothing else, so what a person reads can be checked
/// without a terminal. Each fits the 76 columns an 80-column console leaves inside the window's border.
/// </summary>
public static class ReviewText
{
    public const int Width = 76;

    /// <summary>A source disk of the layout and where it goes: "/dev/vda 20.0 GiB QEMU -> /dev/sda 20.0 GiB ...".</summary>
    public static string MappingRow(PlanDraft draft, DiskInfo disk)
    {
        var target = draft.Mapping.TargetOf(disk.Path);
        var chosen = draft.Given.TryGetValue(disk.Path, out var given) ? given : null;
        var where = chosen == Mapping.DiskMapper.Skip ? "left out"
            : target is null ? "? (choose)"
            : draft.Targets.FirstOrDefault(t => t.Path == target)?.Describe() ?? target;
        var how = chosen is null && target is not null ? " (proposed)" : "";
        return Fit($"{disk.Path} {ByteSize.Format(disk.Size)} {disk.Model} -> {where}{how}");
    }

    /// <summary>A target disk as a choice for a source disk, with why it cannot be chosen when it cannot.</summary>
    public static string CandidateRow(TargetDisk disk, string? refused) =>
        Fit(refused is null ? disk.Describe() : $"{disk.Describe()}  - cannot: {refused}");

    /// <summary>A mountlist entry: device, what it holds, where it is mounted, and its size in the backup's layout and
    /// on the disks chosen ("128.0 MiB -> 300.0 MiB", the proportional resize before and after; "(set)" after it
    /// when the size is one the person set; "left out" when it is all on disks left out, so none of it is made).</summary>
    public static string MountlistRow(MountlistEntry entry, (long? Before, long? After) size, bool set, bool leftOut) =>
        Fit($"{entry.Device,-12} {entry.Format,-14} {entry.MountPoint ?? "-",-11} " +
            (leftOut ? $"{((size.Before ?? entry.Size) is { } b ? ByteSize.Format(b) : "?")} left out" : SizeChange(size.Before ?? entry.Size, size.After, set)));

    /// <summary>"128.0 MiB" when the size stays, "128.0 MiB -> 300.0 MiB" when it changes, "-> ?" with no target yet.</summary>
    public static string SizeChange(long? before, long? after, bool set)
    {
        var from = before is { } b ? ByteSize.Format(b) : "?";
        if (after is null) return $"{from} -> ?";
        return after == before && !set ? from : $"{from} -> {ByteSize.Format(after.Value)}{(set ? " (set)" : "")}";
    }

    /// <summary>The flaws, each wrapped at word boundaries onto as many lines as it takes (the lines after its first
    /// indented), errors marked so a person on a 16-colour console tells them from warnings.</summary>
    public static IReadOnlyList<string> FlawLines(IReadOnlyList<MountlistFlaw> flaws) => flaws.Count == 0
        ? ["No problems: the plan can be made."]
        : flaws.SelectMany(f => Wrapped($"{(f.IsError ? "ERROR" : "warning")}: {f}")).ToList();

    private static IEnumerable<string> Wrapped(string text)
    {
        var line = "";
        foreach (var word in text.Replace('\n', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 2 && line.Length + 1 + word.Length > Width)
            {
                yield return Fit(line);
                line = "  ";
            }
            line = line is "" or "  " ? line + word : $"{line} {word}";
        }
        if (line.Trim().Length > 0) yield return Fit(line);
    }

    /// <summary>A set of the backup and whether it is restored.</summary>
    public static string SetRow(string mountPoint, string set, bool restored) =>
        Fit($"[{(restored ? "x" : " ")}] {mountPoint,-20} set {set}{(restored ? "" : "  (left out: its filesystem is made empty)")}");

    /// <summary>A step of the plan: its number, what it writes, what it does.</summary>
    public static string StepRow(RestoreStep step, int index) =>
        Fit($"{index + 1,3}. {(step.Writes.Count == 0 ? "-" : string.Join(' ', step.Writes)),-14} {step.Purpose}");

    /// <summary>All of a step, for the lines under the list: what it does and the command it runs.</summary>
    public static string StepDetail(RestoreStep step) => $"{step.Purpose}\n$ {string.Join(' ', step.Argv)}";

    /// <summary>A disk the plan erases, as the confirmation names it.</summary>
    public static string EraseRow(PlannedDisk disk) =>
        Fit($"{disk.Target} ({ByteSize.Format(disk.TargetSize)}) gets {disk.Source} ({ByteSize.Format(disk.SourceSize)}) of the backup");

    private static string Fit(string line)
    {
        line = line.Replace('\n', ' ').TrimEnd();
        return line.Length <= Width ? line : line[..(Width - 3)] + "...";
    }
}
