using System.Runtime.CompilerServices;

// The discovery tests exercise the version ordering and index parsing directly.
[assembly: InternalsVisibleTo("RescueKit.Discovery.Tests")]

// The restore planner's tests capture layouts from the VM lab's fixtures as the discovery tests do (FixtureMachine).
[assembly: InternalsVisibleTo("RescueKit.Restore.Tests")]
