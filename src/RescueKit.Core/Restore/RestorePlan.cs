namespace RescueKit.Core.Restore;

/// <summary>
/// restore-plan.json (docs/restore.md): everything a restore will do, computed before any disk is touched, as steps in
/// dependency order. Nuke runs it, interactive lets a person edit it, a dry run only shows it, and restore-plan.sh
/// renders it for a person to review or run by hand.
/// </summary>
public sealed record RestorePlan
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary>The rescuekit version that made the plan.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>The host the layout was captured on.</summary>
    public string? HostName { get; init; }

    /// <summary>Where the backup is (a directory or URL), null when the plan was made from a layout alone.</summary>
    public string? Backup { get; init; }

    /// <summary>Where the restored system is assembled.</summary>
    public required string TargetRoot { get; init; }

    /// <summary>Source disk → target disk, as the plan writes them.</summary>
    public IReadOnlyList<PlannedDisk> Disks { get; set; } = [];

    public IReadOnlyList<RestoreStep> Steps { get; set; } = [];

    /// <summary>What the plan cannot do as the layout had it, said once each (a UUID that changes, a degraded array).</summary>
    public IReadOnlyList<string> Notes { get; set; } = [];
}

/// <summary>One source disk of the layout and the disk of this machine it is restored onto.</summary>
public sealed record PlannedDisk(string Source, string Target, long SourceSize, long TargetSize)
{
    /// <summary>How the partitions were laid out anew for a target of another size; null when they keep their starts
    /// and sizes.</summary>
    public PlannedResize? Resize { get; init; }
}

/// <summary>A disk's partitions resized in proportion: the factor the scaled ones were multiplied by, and which
/// partition numbers were scaled and which kept their size.</summary>
public sealed record PlannedResize(double Factor, IReadOnlyList<int> Scaled, IReadOnlyList<int> Kept);

/// <summary>
/// One step: a command (argv, never a shell string; its standard input when it reads a script, such as sfdisk's), what
/// it is for, the steps it needs done first, and the devices it writes. The executor leaves a marker per finished step
/// so a restore resumes at the first unfinished one.
/// </summary>
public sealed record RestoreStep
{
    /// <summary>Unique in the plan and safe as a file name: "partition-vda", "mkfs-md0", "restore-root".</summary>
    public required string Id { get; init; }

    /// <summary>One of <see cref="RestoreStepKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>What the step does, for a person: "GPT partition table on /dev/vda (3 partitions)".</summary>
    public required string Purpose { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>Text the command reads on its standard input (an sfdisk script), or null.</summary>
    public string? Input { get; init; }

    /// <summary>The name of a secret the command reads on its standard input ("luks:UUID": that container's
    /// passphrase), which the executor is given at run time and which is never in the plan; null when none. Run by
    /// hand (restore-plan.sh), the command asks for it on the terminal.</summary>
    public string? SecretInput { get; init; }

    public IReadOnlyList<string> DependsOn { get; set; } = [];

    /// <summary>The block devices the step writes (empty for a step that writes only files under the target root).</summary>
    public IReadOnlyList<string> Writes { get; set; } = [];

    /// <summary>Non-zero exit codes that mean "done, with warnings" rather than failed: `rescuekit extract` exits
    /// <see cref="ExitCodes.CompletedWithWarnings"/> when it skipped members (one that would escape the target, an
    /// xattr the filesystem refused) and restored the rest. The restore goes on and reports them at the end.</summary>
    public IReadOnlyList<int> WarningExitCodes { get; set; } = [];
}

/// <summary>The values of <see cref="RestoreStep.Kind"/>, in the order a plan runs them.</summary>
public static class RestoreStepKinds
{
    public const string Wipe = "wipe";
    public const string Partition = "partition";
    public const string Raid = "raid";
    public const string Luks = "luks";
    public const string PhysicalVolume = "pv";
    public const string VolumeGroup = "vg";
    public const string LogicalVolume = "lv";
    public const string Filesystem = "mkfs";
    public const string Swap = "mkswap";
    public const string Subvolume = "subvolume";
    public const string Directory = "mkdir";
    public const string Mount = "mount";
    public const string Extract = "extract";
    public const string BootLoader = "bootloader";
    public const string Initramfs = "initramfs";
    public const string Unmount = "unmount";
}
