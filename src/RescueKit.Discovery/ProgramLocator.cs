namespace RescueKit.Discovery;

/// <summary>Finds a program by name on the fixed search path of the system under <c>root</c>, as
/// <see cref="RescueKit.Host.ToolRunner.SearchPath"/> does for the running system.</summary>
public static class ProgramLocator
{
    private static readonly string[] Directories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The host path of the first executable file called <paramref name="name"/>, or null.</summary>
    public static string? Find(string name, string root = "/")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/')) throw new ArgumentException($"expected a bare program name, got '{name}'", nameof(name));
        foreach (var dir in Directories)
        {
            var candidate = HostPath.Under(root, $"{dir}/{name}");
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    // RescueKit runs on Linux only; the guard is what the platform analyzer needs to see.
    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & AnyExecute) != 0;
}
