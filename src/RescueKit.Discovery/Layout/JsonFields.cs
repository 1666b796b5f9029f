using System.Globalization;
using System.Text.Json;

namespace RescueKit.Discovery.Layout;

/// <summary>
/// Field access on the tools' JSON, which differs between versions: numbers come as JSON numbers or as strings
/// (lvm always quotes them), absent and null mean the same, and an empty string from lvm means "none".
/// </summary>
internal static class JsonFields
{
    public static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        } : null;

    public static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;

    public static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && (v.ValueKind == JsonValueKind.True ||
                                              (v.ValueKind == JsonValueKind.String && v.GetString() is "1" or "true"));

    public static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    public static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        Array(e, name).Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).Where(s => s.Length > 0).ToArray();

    /// <summary>Parses a tool's JSON output; malformed output is an <see cref="InvalidDataException"/> naming the tool.</summary>
    public static JsonDocument Parse(string json, string tool)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{tool} printed output that is not JSON (line {e.LineNumber + 1}): {e.Message.Split(" Path:")[0]}", e);
        }
    }
}
