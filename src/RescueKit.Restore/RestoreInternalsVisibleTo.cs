using System.Runtime.CompilerServices;

// The restore tests drive the plan executor, the disk mapping and the resize arithmetic directly.
[assembly: InternalsVisibleTo("RescueKit.Restore.Tests")]
