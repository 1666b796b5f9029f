using System.Runtime.CompilerServices;

// The layout classes stay internal; the tests pin their offsets against the specs.
[assembly: InternalsVisibleTo("RescueKit.Formats.Tests")]
