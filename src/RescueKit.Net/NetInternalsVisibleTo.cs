using System.Runtime.CompilerServices;

// The net tests drive the packet codecs and the servers' counters directly.
[assembly: InternalsVisibleTo("RescueKit.Net.Tests")]
