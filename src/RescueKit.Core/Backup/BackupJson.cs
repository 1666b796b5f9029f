using System.Text.Json;
using System.Text.Json.Serialization;

namespace RescueKit.Core.Backup;

/// <summary>manifest.json and catalog lines as JSON (source-generated, so trimming keeps working).</summary>
public static class BackupJson
{
    public static string SerializeManifest(BackupManifest manifest) =>
        JsonSerializer.Serialize(manifest, ManifestJsonContext.Default.BackupManifest);

    /// <summary>Parses and checks a manifest; <paramref name="source"/> names it in errors.</summary>
    public static BackupManifest DeserializeManifest(string json, string source)
    {
        var manifest = Parse(json, source, "backup manifest", ManifestJsonContext.Default.BackupManifest);
        if (manifest.FormatVersion != BackupManifest.CurrentFormatVersion)
            throw new InvalidDataException(
                $"{source} has format version {manifest.FormatVersion}; this rescuekit reads version {BackupManifest.CurrentFormatVersion}");
        if (manifest.Kind is not (BackupKinds.Full or BackupKinds.Incremental))
            throw new InvalidDataException($"{source} has an unknown kind '{manifest.Kind}'");
        if (manifest.Kind == BackupKinds.Incremental && manifest.Base is null)
            throw new InvalidDataException($"{source} is an incremental backup without a base");
        return manifest;
    }

    public static string SerializeVolume(BackupVolume volume) =>
        JsonSerializer.Serialize(volume, ManifestJsonContext.Default.BackupVolume) + "\n";

    /// <summary>Parses a volume.json; <paramref name="source"/> names it in errors.</summary>
    public static BackupVolume DeserializeVolume(string json, string source)
    {
        var volume = Parse(json, source, "volume index", ManifestJsonContext.Default.BackupVolume);
        if (volume.FormatVersion != BackupVolume.CurrentFormatVersion)
            throw new InvalidDataException($"{source} has format version {volume.FormatVersion}; this rescuekit reads version {BackupVolume.CurrentFormatVersion}");
        if (volume.Volume < 1 || volume.Volume > volume.Volumes)
            throw new InvalidDataException($"{source} says volume {volume.Volume} of {volume.Volumes}");
        return volume;
    }

    public static string SerializeDiscSeries(DiscSeriesIndex index) =>
        JsonSerializer.Serialize(index, ManifestJsonContext.Default.DiscSeriesIndex);

    public static DiscSeriesIndex DeserializeDiscSeries(string json, string source)
    {
        var index = Parse(json, source, "disc series index", ManifestJsonContext.Default.DiscSeriesIndex);
        if (index.FormatVersion != DiscSeriesIndex.CurrentFormatVersion)
            throw new InvalidDataException($"{source} has format version {index.FormatVersion}; this rescuekit reads version {DiscSeriesIndex.CurrentFormatVersion}");
        return index;
    }

    private static T Parse<T>(string json, string source, string what, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"{source} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a RescueKit {what}: {e.Message}", e);
        }
    }

    /// <summary>One catalog line (no line break).</summary>
    public static byte[] SerializeCatalogEntry(CatalogEntry entry) =>
        JsonSerializer.SerializeToUtf8Bytes(entry, CatalogJsonContext.Default.CatalogEntry);

    public static CatalogEntry DeserializeCatalogEntry(ReadOnlySpan<byte> line) =>
        JsonSerializer.Deserialize(line, CatalogJsonContext.Default.CatalogEntry)
        ?? throw new InvalidDataException("empty catalog line");
}

// The manifest is read by people too: indented, every field present.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(BackupVolume))]
[JsonSerializable(typeof(DiscSeriesIndex))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;

// A catalog has a line per file: compact, defaults (false, 0, null) left out.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(CatalogEntry))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
