using System.IO.Compression;
using RescueKit.Host.Compression;
using SharpCompress.Compressors.Xz;

namespace RescueKit.Discovery;

/// <summary>Module file names and their contents, whatever the compression, read in-process (no xz or zstd program).</summary>
public static class ModuleFiles
{
    private static readonly (string Suffix, ModuleCompression Compression)[] Suffixes =
    [
        (".ko.zst", ModuleCompression.Zstd), (".ko.xz", ModuleCompression.Xz), (".ko.gz", ModuleCompression.Gzip),
        (".ko", ModuleCompression.None),
    ];

    /// <summary>The compression a module file name says; null when the name does not end in .ko[.gz|.xz|.zst].</summary>
    public static ModuleCompression? CompressionOf(string path)
    {
        foreach (var (suffix, compression) in Suffixes)
            if (path.EndsWith(suffix, StringComparison.Ordinal)) return compression;
        return null;
    }

    /// <summary>"kernel/fs/ext4/ext4.ko.xz" → "kernel/fs/ext4/ext4": the name less its .ko and compression suffix.</summary>
    public static string WithoutSuffix(string path)
    {
        foreach (var (suffix, _) in Suffixes)
            if (path.EndsWith(suffix, StringComparison.Ordinal)) return path[..^suffix.Length];
        throw new ArgumentException($"{path} is not a kernel module file name (.ko, .ko.gz, .ko.xz, .ko.zst)", nameof(path));
    }

    /// <summary>The file name suffix of <paramref name="compression"/>, starting with ".ko".</summary>
    public static string SuffixOf(ModuleCompression compression) => Suffixes.First(s => s.Compression == compression).Suffix;

    /// <summary>The module's ELF bytes: the file decompressed as its name says.</summary>
    /// <exception cref="InvalidDataException">The file is not what its name says (corrupt, truncated).</exception>
    public static byte[] ReadElf(string path)
    {
        var compression = CompressionOf(path)
            ?? throw new ArgumentException($"{path} is not a kernel module file name (.ko, .ko.gz, .ko.xz, .ko.zst)", nameof(path));
        if (compression == ModuleCompression.None) return File.ReadAllBytes(path);
        using var file = File.OpenRead(path);
        using Stream decompressed = compression switch
        {
            ModuleCompression.Gzip => new GZipStream(file, CompressionMode.Decompress),
            ModuleCompression.Xz => new XZStream(file),
            _ => new ZstdDecompressStream(file),
        };
        var bytes = new MemoryStream(capacity: (int)Math.Min(int.MaxValue, file.Length * 4));
        try
        {
            decompressed.CopyTo(bytes);
        }
        catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException or OperationCanceledException))
        {
            // SharpCompress reports corrupt xz data with exceptions of its own (InvalidFormatException, ...): one kind
            // for the caller, naming the file.
            throw new InvalidDataException($"{path}: not a readable {compression} module: {e.Message}", e);
        }
        return bytes.ToArray();
    }
}
