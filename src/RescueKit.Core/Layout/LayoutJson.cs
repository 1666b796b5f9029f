using System.Text.Json;
using System.Text.Json.Serialization;

namespace RescueKit.Core.Layout;

/// <summary>layout.json reading and writing (docs/layout.md): camelCase, indented, null fields left out.</summary>
public static class LayoutJson
{
    public static string Serialize(HostLayout layout) =>
        JsonSerializer.Serialize(layout, LayoutJsonContext.Default.HostLayout) + "\n";

    /// <summary>
    /// Parses layout.json text. Throws <see cref="InvalidDataException"/> with one line saying what is wrong: not JSON
    /// (with line and byte position), not a layout, a format version this build does not read, a missing field.
    /// </summary>
    public static HostLayout Deserialize(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not JSON ({Where(e)}: {FirstSentence(e.Message)})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("formatVersion", out var version))
                throw new InvalidDataException("not a RescueKit layout: no formatVersion field at the top level");
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v))
                throw new InvalidDataException($"formatVersion {version.GetRawText()} is not a whole number");
            if (v != HostLayout.CurrentFormatVersion)
                throw new InvalidDataException(
                    $"layout formatVersion {v} is not the version this rescuekit reads ({HostLayout.CurrentFormatVersion}): " +
                    (v > HostLayout.CurrentFormatVersion ? "use a newer rescuekit" : "capture the layout again"));
            try
            {
                return root.Deserialize(LayoutJsonContext.Default.HostLayout)
                       ?? throw new InvalidDataException("not a RescueKit layout: the document is null");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"not a valid layout ({e.Path ?? "$"}: {FirstSentence(e.Message)})", e);
            }
        }
    }

    /// <summary>Reads and parses a layout.json file; any problem is a <see cref="BadInputException"/> naming the file.</summary>
    public static HostLayout Load(string path)
    {
        if (!File.Exists(path))
            throw new BadInputException($"the layout file '{path}' does not exist: save one with 'rescuekit layout save --out {path}'");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the layout file '{path}': {e.Message}", e);
        }
        try
        {
            return Deserialize(text);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"'{path}' is not a usable layout.json: {e.Message}", e);
        }
    }

    private static string Where(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "at the start";

    // System.Text.Json messages run on with "Path: ... | LineNumber: ..." details we report ourselves.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd('.');
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    // A null where the model has a non-nullable field (a partition's device) is an error, not a null reference later.
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(HostLayout))]
internal sealed partial class LayoutJsonContext : JsonSerializerContext;
