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
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.BackupManifest);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a RescueKit backup manifest: {e.Message}", e);
        }
        if (manifest is null) throw new InvalidDataException($"{source} is empty");
        if (manifest.FormatVersion != BackupManifest.CurrentFormatVersion)
            throw new InvalidDataException(
                $"{source} has format version {manifest.FormatVersion}; this rescuekit reads version {BackupManifest.CurrentFormatVersion}");
        if (manifest.Kind is not (BackupKinds.Full or BackupKinds.Incremental))
            throw new InvalidDataException($"{source} has an unknown kind '{manifest.Kind}'");
        if (manifest.Kind == BackupKinds.Incremental && manifest.Base is null)
            throw new InvalidDataException($"{source} is an incremental backup without a base");
        return manifest;
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
internal sealed partial class ManifestJsonContext : JsonSerializerContext;

// A catalog has a line per file: compact, defaults (false, 0, null) left out.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(CatalogEntry))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
