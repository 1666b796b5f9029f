using System.Text.Json;
using System.Text.Json.Serialization;

namespace RescueKit.Core.Restore;

/// <summary>restore-plan.json reading and writing: camelCase, indented, null fields left out (as layout.json).</summary>
public static class RestorePlanJson
{
    public static string Serialize(RestorePlan plan) => JsonSerializer.Serialize(plan, RestorePlanJsonContext.Default.RestorePlan) + "\n";

    /// <summary>Parses restore-plan.json; <see cref="InvalidDataException"/> with one line when it is not JSON, not a
    /// plan, of a format version this build does not read, or missing a field.</summary>
    public static RestorePlan Deserialize(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("formatVersion", out var version) || !version.TryGetInt32(out var v))
                throw new InvalidDataException("not a RescueKit restore plan: no formatVersion number at the top level");
            if (v != RestorePlan.CurrentFormatVersion)
                throw new InvalidDataException($"restore plan formatVersion {v} is not the version this rescuekit reads ({RestorePlan.CurrentFormatVersion}): make the plan again");
            return root.Deserialize(RestorePlanJsonContext.Default.RestorePlan)
                   ?? throw new InvalidDataException("not a RescueKit restore plan: the document is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a valid restore plan ({e.Path ?? "$"}: {e.Message.Split(" Path:")[0].TrimEnd('.')})", e);
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(RestorePlan))]
internal sealed partial class RestorePlanJsonContext : JsonSerializerContext;
