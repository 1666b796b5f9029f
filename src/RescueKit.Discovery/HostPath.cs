namespace RescueKit.Discovery;

/// <summary>Maps absolute paths of the system being read onto the file system of the machine doing the reading,
/// so every discovery type can be pointed at a fake tree (<c>root</c>) in tests or at a mounted system.</summary>
internal static class HostPath
{
    /// <summary><paramref name="absolute"/> (e.g. "/lib/modules") inside <paramref name="root"/>.</summary>
    public static string Under(string root, string absolute) =>
        root == "/" ? absolute : Path.Join(Path.GetFullPath(root), absolute.TrimStart('/'));

    /// <summary>The path itself, then each symlink target in turn (relative targets taken from the link's directory,
    /// absolute ones inside <paramref name="root"/>), so a copier can recreate links as links.</summary>
    public static IEnumerable<string> WithSymlinkChain(string path, string root)
    {
        // The kernel gives up after 40 links (MAXSYMLINKS); a longer chain is a loop.
        for (var hops = 0; hops <= 40; hops++)
        {
            yield return path;
            var target = new FileInfo(path).LinkTarget;
            if (target is null) yield break;
            path = Path.GetFullPath(target.StartsWith('/') ? Under(root, target) : Path.Join(Path.GetDirectoryName(path), target));
        }
        throw new IOException($"too many levels of symbolic links at {path}");
    }
}
