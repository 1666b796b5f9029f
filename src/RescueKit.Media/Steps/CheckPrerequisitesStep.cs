using RescueKit.Core;
using RescueKit.Discovery;
using RescueKit.Host;
using RescueKit.Host.Compression;

namespace RescueKit.Media.Steps;

/// <summary>
/// The first step: every program the build runs (on this system) or copies (from the host root) is there, and the zstd
/// library when something is zstd-compressed. All that is missing is named in one error with the packages to install,
/// before any long work starts.
/// </summary>
internal sealed class CheckPrerequisitesStep : IBuildStep
{
    /// <summary>Programs the build runs itself: depmod for the module index, grub-mkimage for the UEFI loader.</summary>
    public static readonly (string Program, string Package)[] BuildPrograms = [("depmod", "kmod"), ("grub-mkimage", "grub-common")];

    public string Title => "Checking the programs the build needs";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var missing = Missing(context.Runner, context.Config.HostRoot, ZstdCompressStream.IsAvailable);
        if (missing.Count == 0) return;
        var what = string.Join(", ", missing.Select(m => m.What));
        var packages = string.Join(' ', missing.Select(m => m.Package).Distinct(StringComparer.Ordinal));
        throw new MissingPrerequisiteException(what, packages, missing.Count == 1 ? null : "the build needs each of them");
    }

    /// <summary>What is missing, each with its Debian package; the zstd library is tested through <paramref name="zstdLoads"/>.</summary>
    public static List<(string What, string Package)> Missing(IToolRunner runner, string hostRoot, Func<bool> zstdLoads)
    {
        var missing = new List<(string, string)>();
        foreach (var (program, package) in BuildPrograms)
            if (runner.Find(program) is null) missing.Add(($"the program '{program}'", package));
        // Copied from the host root into the rescue system, which cannot boot or load a driver without them.
        foreach (var (program, package) in RescueTools.Essential)
            if (ProgramLocator.Find(program, hostRoot) is null)
                missing.Add(($"the program '{program}'{(hostRoot == "/" ? "" : $" under {hostRoot}")}", package));
        // The modules are zstd-compressed, and the initramfs by default.
        if (!zstdLoads()) missing.Add(("the zstd library libzstd.so.1", "libzstd1"));
        return missing;
    }
}
