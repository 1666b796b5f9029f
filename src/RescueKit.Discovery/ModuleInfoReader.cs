using System.IO.Compression;
using RescueKit.Core;
using RescueKit.Formats.Elf;

namespace RescueKit.Discovery;

/// <summary>
/// Reads a kernel module's .modinfo whatever its compression: .ko directly, .ko.gz through GZipStream, and
/// .ko.xz / .ko.zst by decompressing a copy in a temporary directory with xz / zstd (run through
/// <see cref="IToolRunner"/>, whose output is text and so cannot carry the module bytes on stdout).
/// </summary>
internal sealed class ModuleInfoReader(IToolRunner tools)
{
    public IReadOnlyList<KeyValuePair<string, string>> Read(string path)
    {
        try
        {
            if (path.EndsWith(".ko.gz", StringComparison.Ordinal))
            {
                using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
                return ElfReader.ReadModInfo(gz);
            }
            if (path.EndsWith(".ko.xz", StringComparison.Ordinal))
                return ReadDecompressed(path, (input, output) => ["xz", "--decompress", "--keep", "--force", input]);
            if (path.EndsWith(".ko.zst", StringComparison.Ordinal))
                return ReadDecompressed(path, (input, output) => ["zstd", "--decompress", "--quiet", "--force", "-o", output, input]);
            return ElfReader.ReadModInfo(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private IReadOnlyList<KeyValuePair<string, string>> ReadDecompressed(string path, Func<string, string, string[]> argv)
    {
        var temp = Directory.CreateTempSubdirectory("rk-modinfo-");
        try
        {
            var input = Path.Join(temp.FullName, Path.GetFileName(path));
            File.Copy(path, input);
            // xz writes the input name minus ".xz"; zstd is told the same name with -o.
            var output = input[..input.LastIndexOf('.')];
            tools.Run(argv(input, output));
            return ElfReader.ReadModInfo(output);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
