using RescueKit.Core;

namespace RescueKit.Cli.Commands;

/// <summary>
/// `restore --mapping FILE`: the disk pairs of --map kept in a file, one per line as SOURCE=TARGET or SOURCE TARGET
/// (TARGET "none" leaves a disk out); blank lines and lines starting with # are skipped. A fleet's runbook can keep
/// one per machine model. The pairs join those of --map, and a source named in both is refused.
/// </summary>
internal static class MappingFile
{
    /// <returns>The pairs as --map words (SOURCE=TARGET).</returns>
    public static IReadOnlyList<string> Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"--mapping {path} does not exist: give a file of SOURCE=TARGET lines");
        var words = new List<string>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split((char[])[' ', '\t', '='], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
                throw new BadInputException($"--mapping {path} line {number} is not SOURCE=TARGET: '{line}' (e.g. /dev/sda=/dev/vda, or /dev/sdb=none)");
            words.Add($"{fields[0]}={fields[1]}");
        }
        return words;
    }
}
