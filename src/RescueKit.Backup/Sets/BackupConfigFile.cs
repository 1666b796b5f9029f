using RescueKit.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RescueKit.Backup.Sets;

/// <summary>The backup settings of /etc/rescuekit/rescuekit.yaml; each is overridden by its command-line option.</summary>
public sealed record BackupConfig
{
    public string? Target { get; init; }
    public string? Compression { get; init; }
    public int? Level { get; init; }
    public string? ChunkSize { get; init; }
    public IReadOnlyList<string> Excludes { get; init; } = [];
    public int? Keep { get; init; }
}

/// <summary>
/// Reads the config file (YAML, one mapping: target, compression, level, chunkSize, excludes, keep) through YamlDotNet's
/// representation model — no reflection, so trimming keeps working. An unknown key or a value of the wrong shape is a
/// <see cref="BadInputException"/> naming the file, the key and its line.
/// </summary>
public static class BackupConfigFile
{
    public const string DefaultPath = "/etc/rescuekit/rescuekit.yaml";

    /// <summary>The settings in <paramref name="path"/>; empty when it does not exist and was not asked for explicitly.</summary>
    public static BackupConfig Load(string path, bool explicitlyGiven)
    {
        if (!File.Exists(path))
        {
            if (explicitlyGiven) throw new BadInputException($"--config {path} does not exist: give an existing YAML file");
            return new BackupConfig();
        }
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new BadInputException($"{path} is not valid YAML (line {e.Start.Line}): {e.Message}", e);
        }
        if (yaml.Documents.Count == 0) return new BackupConfig();
        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new BadInputException($"{path} must be a mapping of settings (target:, compression:, ...)");

        var config = new BackupConfig();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            config = key switch
            {
                "target" => config with { Target = Scalar(path, key, value) },
                "compression" => config with { Compression = Scalar(path, key, value) },
                "level" => config with { Level = Integer(path, key, value) },
                "chunkSize" => config with { ChunkSize = Scalar(path, key, value) },
                "keep" => config with { Keep = Integer(path, key, value) },
                "excludes" => config with { Excludes = Sequence(path, key, value) },
                _ => throw new BadInputException(
                    $"{path} line {keyNode.Start.Line}: unknown setting '{key}' (known: target, compression, level, chunkSize, excludes, keep)"),
            };
        }
        return config;
    }

    private static string Scalar(string path, string key, YamlNode node) =>
        node is YamlScalarNode { Value: { } v } ? v : throw Shape(path, key, node, "a single value");

    private static int Integer(string path, string key, YamlNode node) =>
        int.TryParse(Scalar(path, key, node), out var n) ? n : throw Shape(path, key, node, "a whole number");

    private static IReadOnlyList<string> Sequence(string path, string key, YamlNode node) =>
        node is YamlSequenceNode list ? list.Children.Select(c => Scalar(path, key, c)).ToList() : throw Shape(path, key, node, "a list");

    private static BadInputException Shape(string path, string key, YamlNode node, string expected) =>
        new($"{path} line {node.Start.Line}: '{key}' must be {expected}");
}
