using System.Runtime.CompilerServices;

// The backup tests drive the read-ahead and the pipeline's hand-off directly.
[assembly: InternalsVisibleTo("RescueKit.Backup.Tests")]

// The restore tests write real backup sets to restore from (BackupSetWriter).
[assembly: InternalsVisibleTo("RescueKit.Restore.Tests")]
