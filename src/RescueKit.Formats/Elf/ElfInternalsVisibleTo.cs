using System.Runtime.CompilerServices;

// The ELF unit tests pin ElfLayout offsets and parse .modinfo blobs directly.
[assembly: InternalsVisibleTo("RescueKit.Formats.Tests")]
