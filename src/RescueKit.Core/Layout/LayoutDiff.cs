using System.Text.Json;
using System.Text.Json.Nodes;

namespace RescueKit.Core.Layout;

/// <summary>
/// What changed between a saved layout and a fresh capture, as readable lines ("added disks[/dev/sda].partitions[3]
/// ...", "changed filesystems[/dev/sda2].label: root -> data"). Fields every capture changes (capture time, tool
/// version, notes) are not compared. Lists of records are matched by their identifying field (a disk's path, a
/// partition's device, a VG's name), so an inserted entry reads as one addition, not as every later entry changed.
/// </summary>
public static class LayoutDiff
{
    /// <summary>Top-level fields that differ between two captures of an unchanged machine.</summary>
    private static readonly string[] Volatile = ["capturedAt", "toolVersion", "notes"];

    /// <summary>The fields, in order of preference, that identify a record in a list.</summary>
    private static readonly string[] IdentityFields = ["path", "device", "name", "file", "number", "id"];

    public static IReadOnlyList<string> Compare(HostLayout saved, HostLayout current)
    {
        var a = ToNode(saved);
        var b = ToNode(current);
        var lines = new List<string>();
        CompareNodes("", a, b, lines);
        return lines;
    }

    private static JsonObject ToNode(HostLayout layout)
    {
        var node = JsonNode.Parse(LayoutJson.Serialize(layout))!.AsObject();
        foreach (var field in Volatile) node.Remove(field);
        return node;
    }

    private static void CompareNodes(string path, JsonNode? a, JsonNode? b, List<string> lines)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var (key, value) in x)
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    if (!y.ContainsKey(key)) lines.Add($"removed {child} (was {Show(value)})");
                    else CompareNodes(child, value, y[key], lines);
                }
                foreach (var (key, value) in y.Where(kv => !x.ContainsKey(kv.Key)))
                    lines.Add($"added {(path.Length == 0 ? key : $"{path}.{key}")} = {Show(value)}");
                break;
            case (JsonArray x, JsonArray y) when IdentityOf(x, y) is { } id:
                var before = x.ToDictionary(e => Key(e, id));
                var after = y.ToDictionary(e => Key(e, id));
                foreach (var (key, value) in before)
                {
                    if (!after.TryGetValue(key, out var now)) lines.Add($"removed {path}[{key}]: {Show(value)}");
                    else CompareNodes($"{path}[{key}]", value, now, lines);
                }
                foreach (var (key, value) in after.Where(kv => !before.ContainsKey(kv.Key)))
                    lines.Add($"added {path}[{key}]: {Show(value)}");
                break;
            default:
                if (!JsonNode.DeepEquals(a, b)) lines.Add($"changed {path}: {Show(a)} -> {Show(b)}");
                break;
        }
    }

    /// <summary>The first identity field every element of both lists has, with no value twice in one list; null for
    /// lists of plain values (compared whole).</summary>
    private static string? IdentityOf(JsonArray x, JsonArray y)
    {
        if (x.Concat(y).Any(e => e is not JsonObject) || x.Count + y.Count == 0) return null;
        return IdentityFields.FirstOrDefault(f =>
            x.Concat(y).All(e => e!.AsObject().ContainsKey(f)) &&
            x.Select(e => Key(e, f)).Distinct().Count() == x.Count &&
            y.Select(e => Key(e, f)).Distinct().Count() == y.Count);
    }

    private static string Key(JsonNode? element, string field) =>
        element!.AsObject()[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : element.AsObject()[field]!.ToJsonString();

    private static string Show(JsonNode? node)
    {
        if (node is null) return "null";
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        var text = node.ToJsonString();
        return text.Length <= 500 ? text : text[..497] + "...";
    }
}
