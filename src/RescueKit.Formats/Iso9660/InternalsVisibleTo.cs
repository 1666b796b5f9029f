using System.Runtime.CompilerServices;

// The layout tests pin internal record writers (DirectoryRecord, BootCatalog, RockRidge, ...) byte by byte.
[assembly: InternalsVisibleTo("RescueKit.Formats.Tests")]
