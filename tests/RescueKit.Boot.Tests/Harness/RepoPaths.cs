namespace RescueKit.Boot.Tests.Harness;

/// <summary>Where the repository's non-C# parts (init-scripts/, tests/vm/) are, found from the test binary.</summary>
public static class RepoPaths
{
    /// <summary>The directory holding RescueKit.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string InitScripts => Path.Combine(Root, "init-scripts");

    public static string VmDirectory => Path.Combine(Root, "tests", "vm");

    /// <summary>Built lab initramfs images (git-ignored).</summary>
    public static string VmCache => Path.Combine(VmDirectory, "cache");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RescueKit.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no RescueKit.sln above {AppContext.BaseDirectory}");
    }
}
