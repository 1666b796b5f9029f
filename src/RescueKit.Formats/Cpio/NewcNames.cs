using System.Text;

namespace RescueKit.Formats.Cpio;

/// <summary>
/// Archive member names as the kernel's initramfs unpacker wants them (formats.md §11): relative, no "." or ".."
/// components, parents listed before children.
/// </summary>
internal static class NewcNames
{
    /// <summary>
    /// Returns the name as it is stored: a leading "./" (GNU cpio's <c>find .</c> style) is removed and "./" or "."
    /// alone becomes "."; throws <see cref="ArgumentException"/> for an empty or absolute name, an empty, "." or
    /// ".." component, a NUL, or more than 4095 UTF-8 bytes.
    /// </summary>
    public static string Normalize(string name, string paramName = "name")
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0) throw new ArgumentException("The cpio member name is empty.", paramName);
        if (name[0] == '/')
            throw new ArgumentException($"The cpio member name '{name}' is absolute; initramfs names are relative (e.g. 'dev/console').", paramName);
        if (name.Contains('\0')) throw new ArgumentException("The cpio member name contains a NUL character.", paramName);

        var stored = name;
        while (stored.StartsWith("./", StringComparison.Ordinal)) stored = stored[2..].TrimStart('/');
        if (stored.Length == 0 || stored == ".") return ".";

        foreach (var component in stored.Split('/'))
        {
            if (component.Length == 0)
                throw new ArgumentException($"The cpio member name '{name}' has an empty component (a doubled or trailing '/').", paramName);
            if (component is "." or "..")
                throw new ArgumentException($"The cpio member name '{name}' has a '{component}' component.", paramName);
        }
        var bytes = Encoding.UTF8.GetByteCount(stored);
        if (bytes > NewcLayout.MaxNameBytes)
            throw new ArgumentException($"The cpio member name is {bytes} bytes; the limit is {NewcLayout.MaxNameBytes} (PATH_MAX - 1).", paramName);
        return stored;
    }

    /// <summary>
    /// Sorts names so every directory comes before what it contains: by path components, ordinally, so "a" &lt;
    /// "a/b" &lt; "a-b" (a plain ordinal sort would put "a-b" between "a" and "a/b", which is also fine for the kernel,
    /// but comparing components keeps each directory's contents together). Names are compared as normalised.
    /// </summary>
    public static IReadOnlyList<string> SortParentsFirst(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = names.Select(n => Normalize(n, nameof(names))).ToList();
        list.Sort(CompareByComponents);
        return list;
    }

    private static int CompareByComponents(string x, string y)
    {
        if (x == ".") return y == "." ? 0 : -1;
        if (y == ".") return 1;
        var a = x.Split('/');
        var b = y.Split('/');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            int c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }
}
