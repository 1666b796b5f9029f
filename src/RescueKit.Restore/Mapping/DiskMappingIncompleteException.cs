using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Restore.Mapping;

/// <summary>Some source disk has no target: none big enough is left, or several fit equally well. Nothing was written.
/// The message names the disks; a front-end adds how its user says which disk goes where.</summary>
public sealed class DiskMappingIncompleteException(DiskMapping mapping)
    : RescueKitException($"cannot choose the target disks: {Describe(mapping)}", ExitCodes.BadInput)
{
    public DiskMapping Mapping { get; } = mapping;

    private static string Describe(DiskMapping mapping)
    {
        var why = mapping.Unmapped.Select(u => u.IsAmbiguous
            ? $"{u.Source} fits {string.Join(" and ", u.Candidates)} equally well"
            : $"no free disk here holds {u.Source} (it needs {ByteSize.Format(u.RequiredSize)})");
        var chosen = mapping.Pairs.Count == 0 ? "" : $" (chosen: {string.Join(", ", mapping.Pairs.Select(p => $"{p.Source} -> {p.Target}"))})";
        var here = mapping.Targets.Select(t => t.Refused is null ? t.Describe() : $"{t.Describe()} [not usable: {t.Refused}]");
        return $"{string.Join("; ", why)}{chosen}. The disks here: {(mapping.Targets.Count == 0 ? "none" : string.Join(", ", here))}";
    }
}
