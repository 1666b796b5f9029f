using RescueKit.Core;

namespace RescueKit.Media;

/// <summary>Finds the files a build takes from the host's Debian packages (boot loaders, their modules).</summary>
internal static class HostFile
{
    /// <summary>The file or directory <paramref name="path"/> under <paramref name="root"/>; missing, it is named with
    /// <paramref name="package"/>, which provides it.</summary>
    public static string Need(string root, string path, string what, string package)
    {
        var full = Path.Combine(root, path.TrimStart('/'));
        if (!File.Exists(full) && !Directory.Exists(full))
            throw new MissingPrerequisiteException(what, package, $"{path} not found");
        return full;
    }
}
