using System.Text.Json;
using System.Text.Json.Serialization;
using RescueKit.Core;

namespace RescueKit.Media.Pxe;

/// <summary>Reads and writes <see cref="PxeHostManifest"/> (source-generated, so the NativeAOT build can).</summary>
internal static class PxeJson
{
    public static string Serialize(PxeHostManifest manifest) =>
        JsonSerializer.Serialize(manifest, PxeJsonContext.Default.PxeHostManifest) + "\n";

    /// <summary>The manifest in <paramref name="path"/>; a damaged one is named, never skipped silently.</summary>
    public static PxeHostManifest Read(string path)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize(File.ReadAllText(path), PxeJsonContext.Default.PxeHostManifest)
                ?? throw new JsonException("empty");
            if (manifest.FormatVersion != PxeHostManifest.CurrentFormatVersion)
                throw new JsonException($"format version {manifest.FormatVersion}, this rescuekit reads {PxeHostManifest.CurrentFormatVersion}");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new RescueKitException($"{path} is not a PXE host manifest ({e.Message}): remove the host with 'rescuekit pxe remove' and add it again", ExitCodes.CheckFailed, e);
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PxeHostManifest))]
internal sealed partial class PxeJsonContext : JsonSerializerContext;
