using RescueKit.Core;
using Serilog;

namespace RescueKit.Discovery;

/// <summary>
/// Computes which kernel modules and firmware the rescue system needs: a selection, closed over hard dependencies
/// (modules.dep), soft dependencies ("pre:" and "post:" from modules.softdep and each module's softdep= modinfo),
/// resolving aliases as modprobe does, and the firmware= files each chosen module names. This is the set
/// <c>modprobe --show-depends</c> would insmod, computed without running modprobe.
/// </summary>
public sealed class ModuleClosure(ILogger log)
{
    private static readonly string[] DepmodInputs = ["modules.order", "modules.builtin", "modules.builtin.modinfo"];

    /// <param name="kernel">The kernel whose modules directory is read.</param>
    /// <param name="selection">The starting set; <see cref="ModuleSelection.Host"/> also reads &lt;root&gt;/proc/modules
    /// (absent in a container: nothing loaded).</param>
    /// <param name="extraNames">More modules, by name or alias ("ext4", "fs-vfat", "crypto-crc32c"). Built-ins need
    /// nothing; an unknown name is a <see cref="BadInputException"/>.</param>
    /// <param name="root">Where /proc/modules and /lib/firmware are read.</param>
    public ModuleSet Resolve(KernelImage kernel, ModuleSelection selection, IEnumerable<string>? extraNames = null, string root = "/")
    {
        var index = new ModuleIndex(kernel.ModulesDirectory);
        var start = new List<string>();
        if (selection == ModuleSelection.All)
            start.AddRange(index.Modules.Select(m => m.Name));
        else if (selection == ModuleSelection.Host)
        {
            start.AddRange(index.Modules.Where(m => ModuleFamilies.Contains(m.RelativePath)).Select(m => m.Name));
            foreach (var loaded in LoadedModules(root))
            {
                if (index.Find(loaded) is { } entry) start.Add(entry.Name);
                else log.Warning("Loaded module {Module} is not a module of kernel {Version}; skipped", loaded, kernel.Version);
            }
        }
        foreach (var extra in extraNames ?? [])
        {
            var found = index.Lookup(extra, out var builtIn);
            if (found.Count == 0 && !builtIn)
                throw new BadInputException(
                    $"'{extra}' is not a module, alias or built-in of kernel {kernel.Version} (looked in {kernel.ModulesDirectory})");
            start.AddRange(found);
        }
        return Close(index, kernel, start, root);
    }

    private ModuleSet Close(ModuleIndex index, KernelImage kernel, IEnumerable<string> start, string root)
    {
        var chosen = new SortedSet<string>(StringComparer.Ordinal);
        var firmwareNames = new SortedSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        // Breadth first, one wave at a time, so that the .modinfo of a wave is read in parallel: reading it means
        // decompressing the whole module, and for .ko.xz (Debian 13) that was most of the build's time.
        var wave = start.Where(visited.Add).ToList();
        while (wave.Count > 0)
        {
            var entries = wave.Select(name => index.Find(name) ?? throw new InvalidOperationException($"{name} was queued but is not in modules.dep")).ToList();
            var infos = ParallelWork.Map(entries, entry =>
            {
                var file = Path.Join(kernel.ModulesDirectory, entry.RelativePath);
                if (!File.Exists(file))
                    throw new MissingPrerequisiteException($"the module file {file} (listed in modules.dep)", $"linux-image-{kernel.Version}");
                return ModuleInfoReader.Read(file);
            });

            var next = new List<string>();
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                chosen.Add(entry.RelativePath);
                next.AddRange(entry.Dependencies.Select(index.NameOfPath));

                var softDeps = index.SoftDepsOf(entry.Name);
                foreach (var (key, value) in infos[i])
                {
                    if (key == "softdep")
                        softDeps = softDeps.Merge(SoftDependencies.Parse(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
                    else if (key == "firmware")
                        firmwareNames.Add(value);
                }
                foreach (var soft in softDeps.Pre.Concat(softDeps.Post))
                {
                    var found = index.Lookup(soft, out var builtIn);
                    if (found.Count == 0 && !builtIn)
                        log.Debug("Soft dependency {SoftDep} of {Module} is not available for kernel {Version}", soft, entry.Name, kernel.Version);
                    next.AddRange(found);
                }
            }
            wave = next.Where(visited.Add).ToList();
        }

        var firmware = new SortedSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var fw in firmwareNames)
        {
            var paths = FirmwareLocator.Find(fw, kernel.Version, root);
            if (paths.Count == 0) missing.Add(fw);
            firmware.UnionWith(paths);
        }
        if (missing.Count > 0)
            log.Information("{Count} firmware files named by the chosen modules are not installed on this host", missing.Count);

        var metadata = DepmodInputs.Where(f => File.Exists(Path.Join(kernel.ModulesDirectory, f))).ToList();
        return new ModuleSet(chosen.ToList(), firmware.ToList(), missing, metadata);
    }

    /// <summary>The first column of /proc/modules; the file is absent when the kernel has no loadable modules.</summary>
    private static IEnumerable<string> LoadedModules(string root)
    {
        var path = HostPath.Under(root, "/proc/modules");
        return File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Split(' ', 2)[0]).Where(n => n.Length > 0).ToList()
            : [];
    }
}
