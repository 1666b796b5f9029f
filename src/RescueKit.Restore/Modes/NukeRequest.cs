using RescueKit.Backup.Sets;

namespace RescueKit.Restore.Modes;

/// <summary>What a nuke restore was asked to do.</summary>
/// <param name="Backup">The backup (a directory or nfs:// URL); null for the one init found (RK_BACKUP_DIR).</param>
/// <param name="Map">Source → target disk pairs (or "none") the user gave.</param>
/// <param name="Unattended">No countdown, no questions: a failing step aborts.</param>
/// <param name="Resume">Continue the plan a previous run started (its markers), after checking its disks.</param>
/// <param name="NoResize">Keep the partitions' and LVs' sizes whatever the target disks' sizes.</param>
/// <param name="LuksPassphraseFile">A file whose first line is the passphrase every recreated LUKS container gets;
/// null to ask at the console (or refuse, unattended).</param>
/// <param name="Reviewer">The interactive mode's person, who shapes the plan and confirms each disk in place of the
/// countdown; null for nuke.</param>
public sealed record NukeRequest(string? Backup, IReadOnlyDictionary<string, string> Map, bool Unattended, bool Resume,
    BackupKey.Source? Key = null, bool NoResize = false, string? LuksPassphraseFile = null, IPlanReviewer? Reviewer = null);
