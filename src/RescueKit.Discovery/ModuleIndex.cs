namespace RescueKit.Discovery;

/// <summary>One loadable module of modules.dep: its path relative to the modules directory and the paths of the
/// modules it needs.</summary>
internal sealed record ModuleEntry(string Name, string RelativePath, IReadOnlyList<string> Dependencies);

/// <summary>
/// The depmod output of one kernel (modules.dep, modules.softdep, modules.alias, modules.builtin and
/// modules.builtin.modinfo, all text; the .bin files are not read) and name lookup in kmod's order: a module name,
/// then an alias, then a built-in module or built-in alias.
/// </summary>
internal sealed class ModuleIndex
{
    private readonly Dictionary<string, ModuleEntry> modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> nameByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SoftDependencies> softDeps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> exactAliases = new(StringComparer.Ordinal);
    private readonly List<(string Pattern, string Module)> patternAliases = [];
    private readonly HashSet<string> builtin = new(StringComparer.Ordinal);
    private readonly HashSet<string> builtinAliases = new(StringComparer.Ordinal);

    public ModuleIndex(string modulesDirectory)
    {
        var depFile = Path.Join(modulesDirectory, "modules.dep");
        if (!File.Exists(depFile))
            throw new InvalidDataException($"{depFile} is missing: run 'depmod' for this kernel");
        foreach (var line in Lines(depFile))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"{depFile}: line without 'path:' — {line}");
            var path = line[..colon];
            var deps = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var name = ModuleNames.FromPath(path);
            modules[name] = new ModuleEntry(name, path, deps);
            nameByPath[path] = name;
        }

        foreach (var line in Lines(Path.Join(modulesDirectory, "modules.softdep")))
        {
            var tokens = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 2 || tokens[0] != "softdep") continue;
            var name = ModuleNames.Canonical(tokens[1]);
            softDeps[name] = SoftDepsOf(name).Merge(SoftDependencies.Parse(tokens.Skip(2)));
        }

        foreach (var line in Lines(Path.Join(modulesDirectory, "modules.alias")))
        {
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length != 3 || tokens[0] != "alias") continue;
            var alias = ModuleNames.NormalizeAlias(tokens[1]);
            var module = ModuleNames.Canonical(tokens[2]);
            if (ModuleNames.IsPattern(alias)) patternAliases.Add((alias, module));
            else (exactAliases.TryGetValue(alias, out var list) ? list : exactAliases[alias] = []).Add(module);
        }

        foreach (var line in Lines(Path.Join(modulesDirectory, "modules.builtin")))
            builtin.Add(ModuleNames.FromPath(line));

        // modules.builtin.modinfo: NUL-separated "module.key=value", the .modinfo of everything built in.
        var builtinModinfo = Path.Join(modulesDirectory, "modules.builtin.modinfo");
        if (File.Exists(builtinModinfo))
            foreach (var entry in File.ReadAllText(builtinModinfo).Split('\0'))
            {
                var dot = entry.IndexOf('.');
                if (dot > 0 && entry.AsSpan(dot + 1).StartsWith("alias="))
                    builtinAliases.Add(ModuleNames.NormalizeAlias(entry[(dot + 1 + "alias=".Length)..]));
            }
    }

    public IReadOnlyCollection<ModuleEntry> Modules => modules.Values;

    public ModuleEntry? Find(string name) => modules.GetValueOrDefault(ModuleNames.Canonical(name));

    /// <summary>The module a modules.dep dependency path names.</summary>
    public string NameOfPath(string relativePath) => nameByPath.TryGetValue(relativePath, out var name)
        ? name
        : throw new InvalidDataException($"modules.dep names {relativePath} as a dependency but has no line for it");

    public SoftDependencies SoftDepsOf(string name) => softDeps.GetValueOrDefault(name, SoftDependencies.None);

    /// <summary>What loading <paramref name="nameOrAlias"/> loads: the module of that name, else every module with a
    /// matching alias. Empty with <c>builtIn</c> true when it is part of the kernel; empty and false when unknown.</summary>
    public IReadOnlyList<string> Lookup(string nameOrAlias, out bool builtIn)
    {
        builtIn = false;
        var name = ModuleNames.Canonical(nameOrAlias);
        if (modules.ContainsKey(name)) return [name];

        var alias = ModuleNames.NormalizeAlias(nameOrAlias);
        var found = new List<string>(exactAliases.GetValueOrDefault(alias) ?? []);
        foreach (var (pattern, module) in patternAliases)
            if (GlobPattern.Matches(pattern, alias)) found.Add(module);
        found = found.Where(modules.ContainsKey).Distinct().ToList();
        if (found.Count > 0) return found;

        builtIn = builtin.Contains(name) || builtinAliases.Contains(alias);
        return [];
    }

    private static IEnumerable<string> Lines(string path) => File.Exists(path)
        ? File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
        : [];
}
