using RescueKit.Core;

namespace RescueKit.Cli;

/// <summary>Writes a file through a temporary file in the same directory and a rename, so it is whole or absent.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text, string option)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(text);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary)) File.Delete(temporary);
            throw new BadInputException($"cannot write {option} '{path}': {e.Message}", e);
        }
    }
}
