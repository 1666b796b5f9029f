using RescueKit.Core;

namespace RescueKit.Backup.Sets;

/// <summary>The target ran out of space while the backup was written (ENOSPC or a quota): a caller that knows the
/// target (a stick's data partition) can say how much more it needs.</summary>
internal sealed class BackupTargetFullException(string message, Exception inner) : RescueKitException(message, ExitCodes.Failed, inner);
