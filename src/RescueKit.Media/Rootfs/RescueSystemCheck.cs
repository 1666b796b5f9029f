using System.Text;
using RescueKit.Discovery;
using RescueKit.Formats.Elf;

namespace RescueKit.Media.Rootfs;

/// <summary>
/// Checks a finished rescue tree the way the rescue system will use it, so a build that would boot into a system
/// that loads no module or runs no program stops instead: modules.dep names every module shipped and only modules
/// shipped, modules.alias is not empty, and every program and library finds its interpreter, its DT_NEEDED libraries
/// and the dlopen() libraries it declares (or that <see cref="LibraryClosure.DlopenedLibraries"/> lists) the way the
/// rescue system's loader searches (DT_RPATH/DT_RUNPATH, then the default directories: the tree has no ld.so.cache).
/// It reads the tree's own entries, not the lists the build steps made them from.
/// </summary>
internal static class RescueSystemCheck
{
    /// <summary>glibc's built-in search directories on Debian x86-64, in order.</summary>
    private static readonly string[] LoaderDirectories = ["lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib", "usr/lib"];

    /// <summary>Every problem found, each naming the module, program or library; empty when the tree is whole.</summary>
    /// <param name="shippedModules">The module paths the tree holds, relative to its modules directory.</param>
    /// <param name="hostHas">Whether the host has a library of that soname (a dlopen library the host lacks is a
    /// feature the host lacks too, not a fault of the build).</param>
    public static List<string> Problems(RootfsManifest rootfs, string kernelVersion, IReadOnlyCollection<string> shippedModules,
        Func<string, bool> hostHas)
    {
        var problems = new List<string>();
        CheckModules(rootfs, $"lib/modules/{kernelVersion}", shippedModules, problems);
        CheckLibraries(rootfs, hostHas, problems);
        return problems;
    }

    private static void CheckModules(RootfsManifest rootfs, string modulesDir, IReadOnlyCollection<string> shipped, List<string> problems)
    {
        var dep = Text(rootfs, $"{modulesDir}/modules.dep");
        if (dep is null)
        {
            problems.Add($"{modulesDir}/modules.dep is missing");
            return;
        }
        var lines = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in dep.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) { problems.Add($"modules.dep: a line without 'path:': {line}"); continue; }
            lines[line[..colon]] = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        var shippedSet = shipped.ToHashSet(StringComparer.Ordinal);
        var unlisted = shipped.Where(m => !lines.ContainsKey(m)).ToList();
        if (unlisted.Count == shipped.Count && shipped.Count > 0)
            problems.Add($"modules.dep names none of the {shipped.Count} modules shipped (depmod did not recognise them as modules: {shipped.First()}, ...)");
        else
            problems.AddRange(unlisted.Select(m => $"modules.dep has no line for the module {m}"));
        foreach (var (module, deps) in lines)
        {
            if (!shippedSet.Contains(module)) problems.Add($"modules.dep names {module}, which is not in the rescue system");
            foreach (var d in deps.Where(d => !shippedSet.Contains(d)))
                problems.Add($"the module {module} needs {d}, which is not in the rescue system");
        }
        var alias = Text(rootfs, $"{modulesDir}/modules.alias");
        if (shipped.Count > 0 && (alias is null || !alias.Split('\n').Any(l => l.StartsWith("alias ", StringComparison.Ordinal))))
            problems.Add("modules.alias is empty: no device would find its driver");
    }

    private static void CheckLibraries(RootfsManifest rootfs, Func<string, bool> hostHas, List<string> problems)
    {
        var programs = rootfs.Entries
            .Where(e => e.Kind == RootfsEntryKind.File && e.HostPath is not null && !e.Path.StartsWith("lib/modules/", StringComparison.Ordinal))
            .ToList();
        var dlopenedHere = new List<(string Soname, string By)>();
        foreach (var entry in programs)
        {
            ElfInfo? info;
            try
            {
                info = ElfReader.TryRead(entry.HostPath!);
            }
            catch (InvalidDataException e)
            {
                problems.Add($"/{entry.Path}: not a readable ELF file: {e.Message}");
                continue;
            }
            if (info is null || !info.IsDynamic && info.Interpreter is null) continue;
            if (info.Interpreter is { } interp && Resolve(rootfs, interp.TrimStart('/')) is null)
                problems.Add($"/{entry.Path}: its interpreter {interp} is not in the rescue system");
            var searched = SearchDirectories(entry.Path, info);
            foreach (var needed in info.Needed.Where(n => Find(rootfs, n, searched) is null))
                problems.Add($"/{entry.Path}: needs {needed}, which is not in the rescue system");
            foreach (var d in info.Dlopen)
            {
                if (d.Sonames.Any(s => Find(rootfs, s, searched) is not null)) continue;
                var onHost = d.Sonames.FirstOrDefault(hostHas);
                if (onHost is not null || d.IsRequired)
                    problems.Add($"/{entry.Path}: declares it dlopen()s {onHost ?? string.Join(" or ", d.Sonames)} ({d.Feature}), which is not in the rescue system");
            }
        }
        foreach (var soname in LibraryClosure.DlopenedLibraries.Where(hostHas))
            if (Find(rootfs, soname, LoaderDirectories) is null)
                problems.Add($"{soname} (loaded with dlopen by the rescue system's programs) is on the host but not in the rescue system");
    }

    /// <summary>DT_RPATH (when there is no DT_RUNPATH), DT_RUNPATH with $ORIGIN as the file's directory in the tree, then
    /// the loader's defaults.</summary>
    private static List<string> SearchDirectories(string path, ElfInfo info)
    {
        var origin = Path.GetDirectoryName("/" + path)!;
        var paths = info.RunPath.Count == 0 ? info.RPath : info.RunPath;
        var dirs = paths.Select(p => p.Replace("${ORIGIN}", origin).Replace("$ORIGIN", origin))
            .Where(p => p.StartsWith('/')).Select(p => Path.GetFullPath(p).TrimStart('/')).ToList();
        dirs.AddRange(LoaderDirectories);
        return dirs;
    }

    private static RootfsEntry? Find(RootfsManifest rootfs, string soname, IEnumerable<string> directories)
        => soname.Contains('/')
            ? Resolve(rootfs, soname.TrimStart('/'))
            : directories.Select(d => Resolve(rootfs, $"{d}/{soname}")).FirstOrDefault(e => e is not null);

    /// <summary>The file entry <paramref name="path"/> names once symlinks are followed, or null.</summary>
    private static RootfsEntry? Resolve(RootfsManifest rootfs, string path)
    {
        for (var hops = 0; hops < 40; hops++)
        {
            var entry = rootfs.Get(path);
            if (entry is null) return null;
            if (entry.Kind != RootfsEntryKind.Symlink) return entry.Kind == RootfsEntryKind.File ? entry : null;
            var target = entry.LinkTarget!;
            path = target.StartsWith('/') ? target.TrimStart('/') : Path.GetFullPath("/" + Path.GetDirectoryName(entry.Path) + "/" + target).TrimStart('/');
        }
        return null;
    }

    private static string? Text(RootfsManifest rootfs, string path)
    {
        var entry = rootfs.Get(path);
        if (entry is null) return null;
        return entry.Content is { } bytes ? Encoding.UTF8.GetString(bytes) : entry.HostPath is { } host ? File.ReadAllText(host) : null;
    }
}
