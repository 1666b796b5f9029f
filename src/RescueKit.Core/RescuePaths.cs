namespace RescueKit.Core;

/// <summary>
/// The names the rescue system's parts share: the image builder writes them, init's shell stages and the programs
/// that run inside the rescue system read them. Paths are as the rescue system sees them; the RK_* keys are those of
/// rescue.conf and of the state init records. docs/init.md ("Names shared with rescuekit") lists the same for the
/// shell side (init-scripts/lib/functions.sh sets its variables from them), so a name changed here changes there too.
/// </summary>
public static class RescuePaths
{
    /// <summary>What the image builder writes for the rescue system to read.</summary>
    public const string ConfigDirectory = "/etc/rescuekit";

    /// <summary>The build's settings as sh variables (the *Key constants below marked rescue.conf), sourced by /init.</summary>
    public const string RescueConf = ConfigDirectory + "/rescue.conf";

    /// <summary>"NAME PATH" per tool the medium carries.</summary>
    public const string ToolsList = ConfigDirectory + "/tools.list";

    /// <summary>The host's layout.json as captured when the medium was built.</summary>
    public const string Layout = ConfigDirectory + "/layout.json";

    /// <summary>The stage scripts and their helpers (init-scripts/ of the source tree, less /init).</summary>
    public const string InitDirectory = "/usr/lib/rescuekit/init";

    /// <summary>What init records while it boots: its log, the state files (*.env), the media it mounted.</summary>
    public const string RunDirectory = "/run/rescuekit";

    public const string InitLog = RunDirectory + "/init.log";

    /// <summary>Exists while 20-modules still loads the drivers kept on the medium in the background.</summary>
    public const string DevicesPending = RunDirectory + "/devices.pending";

    /// <summary>Where 20-modules mounts the rescue medium when the initramfs links to modules kept on it.</summary>
    public const string RescueMediaMount = RunDirectory + "/rescue-media";

    /// <summary>The restore's markers, one per finished step, and the plan they belong to: /run survives a crash of
    /// the front-end, not a reboot.</summary>
    public const string RestoreMarkers = RunDirectory + "/restore";

    /// <summary>Nuke's copy of a disc series' small files (manifest, layout, catalog) under backup/, the backup its plan
    /// names, and discs.json, which says where each disc is read from: disc 1 may leave the drive.</summary>
    public const string DiscSeries = RunDirectory + "/disc-series";

    /// <summary>Where nuke mounts the discs of a series, a directory per drive (sr0, sr1, ...).</summary>
    public const string DiscDrives = RunDirectory + "/discs";

    /// <summary>Where the restore assembles the restored system.</summary>
    public const string TargetRoot = "/mnt/target";

    // rescue.conf, written by the image builder.
    public const string VersionKey = "RK_VERSION";
    public const string LabelKey = "RK_LABEL";
    public const string KernelKey = "RK_KERNEL";
    public const string HostKey = "RK_HOST";
    public const string DefaultModeKey = "RK_DEFAULT_MODE";
    public const string EssentialModulesKey = "RK_ESSENTIAL_MODULES";
    public const string RescueMediaKey = "RK_RESCUE_MEDIA";
    public const string BuiltKey = "RK_BUILT";

    // The state init's stages record (cmdline.env, state.env under RunDirectory).
    public const string SourceKey = "RK_SOURCE";
    public const string MediaDeviceKey = "RK_MEDIA_DEV";
    public const string RescueMediaDeviceKey = "RK_RESCUE_MEDIA_DEV";
    public const string BackupDirectoryKey = "RK_BACKUP_DIR";
    public const string BackupUrlKey = "RK_BACKUP_URL";
    /// <summary>The data partition of a RescueKit USB stick (40-media) and its backups, space-separated, newest first.</summary>
    public const string DataDeviceKey = "RK_DATA_DEV";
    public const string DataBackupsKey = "RK_DATA_BACKUPS";

    /// <summary>The backup init found: its directory on a medium, else the http:// URL of rk.source (40-media), else null.</summary>
    public static string? FoundBackup(IReadOnlyDictionary<string, string> vars) =>
        vars.GetValueOrDefault(BackupDirectoryKey) is { Length: > 0 } directory ? directory
        : vars.GetValueOrDefault(BackupUrlKey) is { Length: > 0 } url ? url : null;

    /// <summary><paramref name="path"/> (one of the paths above) under <paramref name="root"/>, a rescue system's root
    /// seen from outside it (a test's staged tree, a mounted image).</summary>
    public static string Under(string root, string path) => Path.Combine(root, path.TrimStart('/'));
}
