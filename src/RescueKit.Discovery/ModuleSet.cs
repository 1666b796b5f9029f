namespace RescueKit.Discovery;

/// <summary>
/// The kernel modules and firmware to copy into the rescue system.
/// </summary>
/// <param name="Modules">Module files relative to the modules directory, e.g. kernel/fs/ext4/ext4.ko, sorted.</param>
/// <param name="Firmware">Firmware files as absolute host paths (symlinks followed by their targets), sorted.</param>
/// <param name="MissingFirmware">Firmware names that modules ask for but the host does not have, sorted.</param>
/// <param name="MetadataFiles">depmod inputs to copy, relative to the modules directory (modules.order,
/// modules.builtin, modules.builtin.modinfo, where present); the integrator runs depmod on the copy.</param>
public sealed record ModuleSet(
    IReadOnlyList<string> Modules,
    IReadOnlyList<string> Firmware,
    IReadOnlyList<string> MissingFirmware,
    IReadOnlyList<string> MetadataFiles);
