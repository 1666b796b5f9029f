using System.Runtime.CompilerServices;

// The discovery tests exercise the version ordering and index parsing directly.
[assembly: InternalsVisibleTo("RescueKit.Discovery.Tests")]
