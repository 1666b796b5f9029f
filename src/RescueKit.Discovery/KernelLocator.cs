using RescueKit.Core;

namespace RescueKit.Discovery;

/// <summary>
/// Finds the kernel image and module tree to build the rescue system from. The running kernel is preferred, but in
/// a container or CI job it usually has no image in /boot and no modules, and then the newest installed kernel that
/// has both is used instead, with a note saying so.
/// </summary>
/// <param name="runningVersion">The running kernel's release; null reads /proc/sys/kernel/osrelease (what
/// <c>uname -r</c> prints). Tests pass one to pretend.</param>
public sealed class KernelLocator(string? runningVersion = null)
{
    private const string ImagePrefix = "vmlinuz-";

    /// <summary>Picks the kernel: null for the running kernel (or the newest installed one), a version such as
    /// "6.1.0-56-amd64", or the path of an image named vmlinuz-&lt;version&gt;.</summary>
    public KernelImage Locate(string? versionOrPath, string root = "/")
    {
        var running = runningVersion ?? File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        if (versionOrPath is null) return LocateDefault(running, root);

        if (versionOrPath.Contains('/'))
        {
            if (!File.Exists(versionOrPath)) throw new BadInputException($"the kernel image {versionOrPath} does not exist");
            var name = Path.GetFileName(versionOrPath);
            if (!name.StartsWith(ImagePrefix, StringComparison.Ordinal) || name.Length == ImagePrefix.Length)
                throw new BadInputException(
                    $"cannot tell the kernel version from the file name '{name}': expected vmlinuz-<version>, e.g. vmlinuz-6.1.0-56-amd64");
            return WithModules(name[ImagePrefix.Length..], Path.GetFullPath(versionOrPath), running, root, note: null);
        }

        var image = HostPath.Under(root, $"/boot/{ImagePrefix}{versionOrPath}");
        if (!File.Exists(image))
            throw new MissingPrerequisiteException($"the kernel image /boot/{ImagePrefix}{versionOrPath}", $"linux-image-{versionOrPath}");
        return WithModules(versionOrPath, image, running, root, note: null);
    }

    private static KernelImage LocateDefault(string running, string root)
    {
        var runningImage = HostPath.Under(root, $"/boot/{ImagePrefix}{running}");
        if (File.Exists(runningImage) && Directory.Exists(ModulesDirectory(root, running)))
            return new KernelImage(running, runningImage, ModulesDirectory(root, running), IsRunningKernel: true, Note: null);

        var boot = HostPath.Under(root, "/boot");
        var installed = (Directory.Exists(boot) ? Directory.EnumerateFiles(boot, ImagePrefix + "*") : [])
            .Select(p => Path.GetFileName(p)[ImagePrefix.Length..])
            .Where(v => v.Length > 0)
            .OrderByDescending(v => v, NaturalVersionComparer.Instance)
            .ToList();
        if (installed.Count == 0)
            throw new MissingPrerequisiteException("a Linux kernel image in /boot", "linux-image-amd64");

        var usable = installed.FirstOrDefault(v => Directory.Exists(ModulesDirectory(root, v))) ?? installed[0];
        var why = File.Exists(runningImage) ? "has no modules in /lib/modules" : "has no image in /boot";
        return WithModules(usable, HostPath.Under(root, $"/boot/{ImagePrefix}{usable}"), running, root,
            note: $"running kernel {running} {why}; using newest installed {usable}");
    }

    private static KernelImage WithModules(string version, string image, string running, string root, string? note)
    {
        var modules = ModulesDirectory(root, version);
        if (!Directory.Exists(modules))
            throw new MissingPrerequisiteException($"the kernel modules directory /lib/modules/{version}", $"linux-image-{version}",
                $"{image} is present but its modules are not");
        return new KernelImage(version, image, modules, IsRunningKernel: version == running, note);
    }

    private static string ModulesDirectory(string root, string version) => HostPath.Under(root, $"/lib/modules/{version}");
}
