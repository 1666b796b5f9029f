using RescueKit.Core;

namespace RescueKit.Backup.Sets;

/// <summary>
/// An encrypted backup was opened without the kind of secret it was made with. Whoever asked for the key words what
/// to do: the command line names its option, a terminal UI can prompt for a passphrase instead.
/// </summary>
public sealed class BackupKeyNeededException : RescueKitException
{
    public BackupKeyNeededException(string backupName, bool needsKeyFile, bool otherKindGiven)
        : base(Describe(backupName, needsKeyFile, otherKindGiven) + (needsKeyFile ? ": give its key file" : ": give its passphrase"),
            ExitCodes.BadInput)
    {
        BackupName = backupName;
        NeedsKeyFile = needsKeyFile;
        OtherKindGiven = otherKindGiven;
    }

    public string BackupName { get; }

    /// <summary>True: the backup was made with a key file; false: with a passphrase.</summary>
    public bool NeedsKeyFile { get; }

    /// <summary>A secret of the other kind was given (a passphrase for a key-file backup, or the reverse).</summary>
    public bool OtherKindGiven { get; }

    /// <summary>What is wrong, without what to do: "backup ID is encrypted with a key file[, not a passphrase]".</summary>
    public string Problem => Describe(BackupName, NeedsKeyFile, OtherKindGiven);

    private static string Describe(string backupName, bool needsKeyFile, bool otherKindGiven) =>
        $"backup {backupName} is encrypted with " + (needsKeyFile
            ? "a key file" + (otherKindGiven ? ", not a passphrase" : "")
            : "a passphrase" + (otherKindGiven ? ", not a key file" : ""));
}
