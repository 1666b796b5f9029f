using System.IO.Compression;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Host.Compression;

namespace RescueKit.Backup.Sets;

/// <summary>The compressions a backup set can use (zstd through libzstd with its worker threads, gzip, none), their
/// levels and the file name endings that say which one a file has.</summary>
public static class SetCompression
{
    public const string Zstd = "zstd";
    public const string Gzip = "gzip";
    public const string None = "none";

    /// <summary>The level used when none is given.</summary>
    public static int DefaultLevel(string algorithm) => algorithm switch
    {
        Zstd => 3,
        Gzip => 6,
        _ => 0,
    };

    /// <summary>Checks the algorithm and level (null: the default) and returns the manifest's description. Messages
    /// name the two by <paramref name="algorithmInput"/> and <paramref name="levelInput"/>, as the caller asked for them.</summary>
    public static BackupCompression Choose(string algorithm, int? level, string algorithmInput = "compression", string levelInput = "level")
    {
        var (min, max) = algorithm switch
        {
            Zstd => (1, 19),
            Gzip => (1, 9),
            None => (0, 0),
            _ => throw new BadInputException($"{algorithmInput} '{algorithm}' is unknown: use zstd, gzip or none"),
        };
        var chosen = level ?? DefaultLevel(algorithm);
        if (algorithm != None && (chosen < min || chosen > max))
            throw new BadInputException($"{levelInput} {chosen} is out of range for {algorithm}: use {min} to {max}");
        if (algorithm == Zstd && !ZstdCompressStream.IsAvailable())
            throw new MissingPrerequisiteException("the zstd library libzstd.so.1", "libzstd1", $"or use {algorithmInput} gzip");
        return new BackupCompression(algorithm, algorithm == None ? 0 : chosen);
    }

    /// <summary>".zst", ".gz" or "" for the algorithm.</summary>
    public static string Suffix(string algorithm) => algorithm switch
    {
        Zstd => ".zst",
        Gzip => ".gz",
        None => "",
        _ => throw new InvalidDataException($"unknown compression '{algorithm}'"),
    };

    /// <param name="leaveOpen">For zstd and gzip; with none, <paramref name="output"/> itself is returned.</param>
    /// <param name="threaded">Whether zstd uses one libzstd worker thread per CPU. The catalog, a few hundred bytes per
    /// entry written between the archive's writes, compresses on the calling thread instead: worker threads there
    /// would only add their windows to the memory and hand-offs to the archiver's thread.</param>
    public static Stream Compress(BackupCompression compression, Stream output, bool leaveOpen = false, bool threaded = true) =>
        compression.Algorithm switch
    {
        Zstd => new ZstdCompressStream(output, compression.Level, workers: threaded ? Environment.ProcessorCount : 0, leaveOpen: leaveOpen),
        Gzip => new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = compression.Level }, leaveOpen),
        // No wrapper: the caller gets its own stream back (CatalogWriter tells them apart before disposing).
        None => output,
        _ => throw new InvalidDataException($"unknown compression '{compression.Algorithm}'"),
    };

    public static Stream Decompress(string algorithm, Stream input) => algorithm switch
    {
        Zstd => new ZstdDecompressStream(input),
        Gzip => new GZipStream(input, CompressionMode.Decompress),
        None => input,
        _ => throw new InvalidDataException($"unknown compression '{algorithm}'"),
    };
}
