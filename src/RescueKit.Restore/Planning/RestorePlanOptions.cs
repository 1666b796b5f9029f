using RescueKit.Core.Layout;

namespace RescueKit.Restore.Planning;

/// <summary>What a plan is made for besides the layout and the disk mapping.</summary>
public sealed record RestorePlanOptions
{
    /// <summary>The word the extract steps carry in place of a backup when the plan was made from a layout alone.</summary>
    public const string NoBackup = "BACKUP";

    public required string ToolVersion { get; init; }

    public string TargetRoot { get; init; } = Core.RescuePaths.TargetRoot;

    /// <summary>Where the executor keeps the plan, its markers and the restore's log; copied into the restored system.</summary>
    public string RecordDirectory { get; init; } = Core.RescuePaths.RestoreMarkers;

    /// <summary>The backup as `rescuekit extract` takes it; null for a plan from the layout alone.</summary>
    public string? Backup { get; init; }

    /// <summary>Arguments every extract step adds (the key file of an encrypted backup: its path, never the key).</summary>
    public IReadOnlyList<string> ExtractArguments { get; init; } = [];

    /// <summary>The backup's sets: mount point → set name. Null when there is no backup: each mounted filesystem is
    /// then taken to have the set a backup of it would have.</summary>
    public IReadOnlyDictionary<string, string>? Sets { get; init; }

    /// <summary>The backup's sets of filesystems the host did not mount (a second ESP): the layout's device → set name.
    /// Each is extracted into its filesystem mounted beside the target root for the while.</summary>
    public IReadOnlyDictionary<string, string> UnmountedSets { get; init; } = new Dictionary<string, string>();

    /// <summary>The backup's sets as <see cref="Sets"/> takes them: those of mounted filesystems, by mount point.</summary>
    public static IReadOnlyDictionary<string, string> MountedSetsOf(Core.Backup.BackupManifest manifest) =>
        manifest.Sets.Where(s => !s.Unmounted).ToDictionary(s => s.MountPoint, s => s.Name, StringComparer.Ordinal);

    /// <summary>The backup's sets as <see cref="UnmountedSets"/> takes them.</summary>
    public static IReadOnlyDictionary<string, string> UnmountedSetsOf(Core.Backup.BackupManifest manifest) =>
        manifest.Sets.Where(s => s.Unmounted).ToDictionary(s => s.Device, s => s.Name, StringComparer.Ordinal);

    /// <summary>Keep every partition's start and size whatever the target disk's size (no resizing), and every LV's
    /// size.</summary>
    public bool NoResize { get; init; }

    /// <summary>The sizes a person set in the mountlist: a partition's device or an LV's path → its size. Each is
    /// kept, and what has no size set is resized around it in proportion (<see cref="SizeRequest"/>).</summary>
    public IReadOnlyDictionary<string, SizeRequest> SizesSet { get; init; } = new Dictionary<string, SizeRequest>();

    /// <summary>The layout as the backup recorded it, when the plan is made from one a person edited: each device's
    /// size before the restore is its size there (what a set must fit in, what the notes say it was). Null: the
    /// layout planned from.</summary>
    public HostLayout? Before { get; init; }

    /// <summary>What each set of the backup holds: set name → its data. Null when there is no backup (or its catalog
    /// cannot be read): filesystems that shrink are then not checked against their data.</summary>
    public IReadOnlyDictionary<string, SetData>? SetData { get; init; }

    /// <summary>The set restored at <paramref name="mountPoint"/>, or null when the backup has none for it.</summary>
    public string? SetOf(string mountPoint) => Sets is null
        ? RescueKit.Backup.Sets.FilesystemSelection.SetName(mountPoint)
        : Sets.GetValueOrDefault(mountPoint);

    /// <summary>The sets restored into <paramref name="fs"/>: one per mount of it (a btrfs has one per subvolume
    /// mounted on its own).</summary>
    public IReadOnlyList<string> SetsOf(FilesystemInfo fs) =>
        FilesystemMount.Of(fs).Select(m => SetOf(m.MountPoint)).OfType<string>().ToList();
}
