namespace RescueKit.Tests.Shared;

/// <summary>
/// The Debian kernel the tests boot and read: the newest /boot/vmlinuz-VERSION that has /lib/modules/VERSION
/// (make deps installs linux-image-amd64 where /boot has none, so the version is whatever Debian shipped that day).
/// Shared by the test projects as a linked source file.
/// </summary>
internal static class InstalledKernel
{
    private static readonly Lazy<string?> Found = new(Find);

    public static string Version => Found.Value
        ?? throw new InvalidOperationException("no /boot/vmlinuz-* with modules in /lib/modules: apt-get install linux-image-amd64 (make deps does)");

    public static string ImagePath => $"/boot/vmlinuz-{Version}";

    public static string ModulesDirectory => $"/lib/modules/{Version}";

    private static string? Find()
    {
        if (!Directory.Exists("/boot")) return null;
        return Directory.EnumerateFiles("/boot", "vmlinuz-*")
            .Select(p => Path.GetFileName(p)["vmlinuz-".Length..])
            .Where(v => Directory.Exists($"/lib/modules/{v}"))
            .OrderByDescending(v => v, Comparer<string>.Create(CompareVersions))
            .FirstOrDefault();
    }

    // Numbers compare as numbers (6.1.0-57 after 6.1.0-9), the rest ordinally.
    private static int CompareVersions(string a, string b)
    {
        var pa = System.Text.RegularExpressions.Regex.Split(a, @"(\d+)");
        var pb = System.Text.RegularExpressions.Regex.Split(b, @"(\d+)");
        for (var i = 0; i < Math.Min(pa.Length, pb.Length); i++)
        {
            var c = long.TryParse(pa[i], out var na) && long.TryParse(pb[i], out var nb)
                ? na.CompareTo(nb) : string.CompareOrdinal(pa[i], pb[i]);
            if (c != 0) return c;
        }
        return pa.Length.CompareTo(pb.Length);
    }
}
