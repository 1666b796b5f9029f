namespace RescueKit.Backup.Archive;

/// <summary>How <see cref="TreeExtractor"/> restores.</summary>
public sealed class ExtractOptions
{
    /// <summary>Set owners by number (needs root); false leaves everything owned by the restoring user.</summary>
    public bool RestoreOwners { get; init; } = true;

    /// <summary>Hears about what could not be restored exactly (an xattr the target filesystem refuses, a device
    /// node without the privilege to make it); the restore goes on.</summary>
    public Action<string>? OnWarning { get; init; }

    /// <summary>Only the members it wants are restored (the others are read past); null restores every member.</summary>
    public IncludeFilter? Include { get; init; }
}
