namespace RescueKit.Media;

/// <summary>
/// The init scripts and boot-menu templates, compiled into this assembly so the one rescuekit binary carries
/// everything it needs to build a medium (no data directory to install or to lose).
/// </summary>
internal static class EmbeddedAssets
{
    /// <summary>Every asset under <paramref name="prefix"/> ("init-scripts/" or "templates/"), path relative to it.</summary>
    public static IEnumerable<(string Path, byte[] Content)> Enumerate(string prefix)
    {
        var asm = typeof(EmbeddedAssets).Assembly;
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            yield return (name[prefix.Length..], Read(name));
    }

    public static byte[] Read(string name)
    {
        using var s = typeof(EmbeddedAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"asset {name} is not compiled into RescueKit.Media");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    public static string ReadText(string name) => System.Text.Encoding.UTF8.GetString(Read(name));
}
