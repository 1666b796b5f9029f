using RescueKit.Formats.Elf;

namespace RescueKit.Discovery;

/// <summary>Reads a kernel module's .modinfo whatever its compression, in-process (<see cref="ModuleFiles.ReadElf"/>).</summary>
internal static class ModuleInfoReader
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path)
    {
        try
        {
            using var elf = new MemoryStream(ModuleFiles.ReadElf(path), writable: false);
            return ElfReader.ReadModInfo(elf);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
