using RescueKit.Core;
using RescueKit.Formats.Elf;

namespace RescueKit.Discovery;

/// <summary>
/// The files a set of programs needs at run time, found by reading ELF headers the way ld.so(8) searches, never by
/// running ldd (which may execute the program): each file, its PT_INTERP, and its DT_NEEDED libraries recursively,
/// searched in DT_RPATH (only when there is no DT_RUNPATH; the loading objects' DT_RPATH too), DT_RUNPATH, the
/// /etc/ld.so.conf directories (what ld.so.cache is built from) and the default directories. LD_LIBRARY_PATH is
/// ignored: the rescue system will not have it. Libraries a program dlopen()s are followed where it declares them
/// in .note.dlopen notes (kmod 34, systemd 257: the first soname of each entry the host has); those of programs that
/// declare nothing are in <see cref="DlopenExtras"/>.
/// </summary>
public static class LibraryClosure
{
    private static readonly string[] DefaultDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    /// <summary>Loaded with dlopen() and declared nowhere: by glibc (NSS), by .NET (libgcc_s for unwinding, OpenSSL 3 for
    /// crypto), by rescuekit itself (libzstd) and by kmod and cryptsetup builds that predate dlopen notes (libzstd,
    /// liblzma for compressed modules, libcrypto).</summary>
    public static readonly IReadOnlyList<string> DlopenedLibraries =
        ["libnss_files.so.2", "libnss_dns.so.2", "libgcc_s.so.1", "libssl.so.3", "libcrypto.so.3", "libzstd.so.1", "liblzma.so.5"];

    /// <summary>Every host path to copy for <paramref name="files"/> (host paths, under <paramref name="root"/> when
    /// it is not "/"): the files themselves, their interpreters and libraries, and for each symlink among them the
    /// chain of its targets (to be copied as symlinks). A file that is not ELF (a script) contributes only itself.</summary>
    /// <exception cref="LibraryNotFoundException">A needed library or interpreter is nowhere the loader would look.</exception>
    public static IReadOnlyCollection<string> Resolve(IEnumerable<string> files, string root = "/")
    {
        var systemDirectories = SystemDirectories(root);
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(string Path, IReadOnlyList<string> LoaderRPath, bool Given)>();
        foreach (var file in files)
        {
            if (!File.Exists(file)) throw new BadInputException($"{file} does not exist or is not a file");
            queue.Enqueue((Path.GetFullPath(file), [], true));
        }

        while (queue.TryDequeue(out var item))
        {
            var (path, loaderRPath, given) = item;
            if (!visited.Add(path)) continue;
            var chain = HostPath.WithSymlinkChain(path, root).ToList();
            result.UnionWith(chain);
            var info = ElfReader.TryRead(path);
            if (info is null) continue;

            if (info.Interpreter is { } interpreter)
            {
                var loader = HostPath.Under(root, interpreter);
                if (!File.Exists(loader)) throw new LibraryNotFoundException(interpreter, path, [interpreter]);
                queue.Enqueue((loader, [], false));
            }

            // ld.so takes a program's $ORIGIN from its resolved path (/proc/self/exe), a library's from the path
            // it was found under.
            var origin = Path.GetDirectoryName(given ? chain[^1] : path)!;
            // ld.so(8): DT_RPATH is used only when DT_RUNPATH is absent, and then the loaders' DT_RPATH follows it.
            var rPath = info.RunPath.Count == 0 ? [.. Expand(info.RPath, origin, root), .. loaderRPath] : new List<string>();
            var runPath = Expand(info.RunPath, origin, root);
            string[] searched = [.. rPath, .. runPath, .. systemDirectories];
            foreach (var needed in info.Needed)
            {
                var found = needed.Contains('/')
                    ? (File.Exists(HostPath.Under(root, needed)) ? HostPath.Under(root, needed) : null)
                    : FindIn(needed, searched);
                queue.Enqueue((found ?? throw new LibraryNotFoundException(needed, path, searched.Distinct()), rPath, false));
            }
            foreach (var dependency in info.Dlopen)
            {
                // dlopen() searches like DT_NEEDED (the caller's RUNPATH, then the system); the first soname found is the
                // one the program would load. An optional one the host lacks is a feature the host lacks too.
                var found = dependency.Sonames.Select(name => FindIn(name, searched)).FirstOrDefault(f => f is not null);
                if (found is not null) queue.Enqueue((found, rPath, false));
                else if (dependency.IsRequired)
                    throw new LibraryNotFoundException(string.Join(" or ", dependency.Sonames), path, searched.Distinct());
            }
        }
        return result.ToList();
    }

    /// <summary>The libraries that are dlopen()ed rather than named in DT_NEEDED (NSS files/dns, libgcc_s, OpenSSL 3),
    /// where the host has them, each with its symlink chain. Pass them to <see cref="Resolve"/> for their own needs.</summary>
    public static IReadOnlyList<string> DlopenExtras(string root)
    {
        return DlopenedLibraries
            .Select(name => FindOnHost(name, root))
            .OfType<string>()
            .SelectMany(path => HostPath.WithSymlinkChain(path, root))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Where the host's loader finds <paramref name="soname"/> when nothing else is searched (ld.so.conf and the
    /// default directories), or null when the host does not have it.</summary>
    public static string? FindOnHost(string soname, string root) => FindIn(soname, SystemDirectories(root));

    private static string[] SystemDirectories(string root) =>
        [.. LdSoConf.Directories(root).Concat(DefaultDirectories).Distinct(StringComparer.Ordinal).Select(d => HostPath.Under(root, d))];

    /// <summary>The first file called <paramref name="name"/> in <paramref name="directories"/> that the x86-64 loader
    /// would accept (a 32-bit library of the same name is passed over, as ld.so does).</summary>
    private static string? FindIn(string name, IEnumerable<string> directories)
    {
        foreach (var dir in directories)
        {
            var candidate = Path.Join(dir, name);
            if (File.Exists(candidate) && ElfReader.IsElf64X86_64(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Host directories for DT_RPATH/DT_RUNPATH entries: $ORIGIN (the object's own directory), $LIB and
    /// $PLATFORM expanded as Debian's x86-64 ld.so expands them (ld.so(8) "Dynamic string tokens"). Relative entries
    /// name the loader's working directory, which means nothing for a copy, and are dropped.</summary>
    private static List<string> Expand(IReadOnlyList<string> entries, string origin, string root)
    {
        var systemOrigin = root == "/" ? origin : "/" + Path.GetRelativePath(Path.GetFullPath(root), origin);
        var result = new List<string>();
        foreach (var entry in entries)
        {
            var expanded = entry
                .Replace("${ORIGIN}", systemOrigin).Replace("$ORIGIN", systemOrigin)
                .Replace("${LIB}", "lib/x86_64-linux-gnu").Replace("$LIB", "lib/x86_64-linux-gnu")
                .Replace("${PLATFORM}", "x86_64").Replace("$PLATFORM", "x86_64");
            if (expanded.StartsWith('/')) result.Add(Path.GetFullPath(HostPath.Under(root, expanded)));
        }
        return result;
    }
}
