namespace RescueKit.Backup.Sets;

/// <summary>A chunk file of a backup is missing, has the wrong size, the wrong SHA-256, or does not decrypt.</summary>
internal sealed class ChunkFaultException(string chunk, string problem)
    : IOException($"chunk {chunk} {problem}")
{
    /// <summary>The chunk's path relative to the backup directory, as the manifest names it.</summary>
    public string Chunk { get; } = chunk;
}
