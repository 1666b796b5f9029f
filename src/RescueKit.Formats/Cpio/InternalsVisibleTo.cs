using System.Runtime.CompilerServices;

// The layout classes stay internal; the tests pin their offsets against the specs.
[assembly: InternalsVisibleTo("RescueKit.Formats.Tests")]

// The initramfs tests read back what the media build wrote (NewcReader).
[assembly: InternalsVisibleTo("RescueKit.Media.Tests")]
