using RescueKit.Core;

using System.Text;

namespace RescueKit.Media.Rootfs;

/// <summary>
/// The rescue root filesystem as a list of entries, built without copying anything: host files are named, not staged, and
/// read only when the initramfs is written. Adding a host path mirrors the host's symlinks on the way (merged /usr: /lib is
/// a link to usr/lib), so the rescue tree resolves names exactly as the host does.
/// </summary>
internal sealed class RootfsManifest
{
    private readonly SortedDictionary<string, RootfsEntry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<RootfsEntry> Entries => _entries.Values;

    public int Count => _entries.Count;

    public bool Contains(string path) => _entries.ContainsKey(ResolveParent(Normalize(path)));

    public RootfsEntry? Get(string path) => _entries.GetValueOrDefault(ResolveParent(Normalize(path)));

    public void AddDirectory(string path, int permissions = UnixModes.Executable)
    {
        var p = Normalize(path);
        if (p.Length == 0) return;
        var resolved = ResolveParent(p);
        if (_entries.TryGetValue(resolved, out var existing))
        {
            if (existing.Kind == RootfsEntryKind.Directory) return;
            if (existing.Kind == RootfsEntryKind.Symlink) return; // a directory link already stands here
            throw new InvalidOperationException($"rescue rootfs: {resolved} is already a {existing.Kind}, cannot make it a directory");
        }
        _entries[resolved] = new RootfsEntry(resolved, RootfsEntryKind.Directory, permissions);
    }

    public void AddGenerated(string path, string content, int permissions = UnixModes.File)
        => AddGenerated(path, Encoding.UTF8.GetBytes(content), permissions);

    public void AddGenerated(string path, byte[] content, int permissions = UnixModes.File)
        => Put(path, new RootfsEntry("", RootfsEntryKind.File, permissions) { Content = content });

    public void AddSymlink(string path, string target)
        => Put(path, new RootfsEntry("", RootfsEntryKind.Symlink, UnixModes.Symlink) { LinkTarget = target });

    public void AddDevice(string path, bool block, int major, int minor, int permissions = UnixModes.Private)
        => Put(path, new RootfsEntry("", block ? RootfsEntryKind.BlockDevice : RootfsEntryKind.CharacterDevice, permissions)
        { Major = major, Minor = minor });

    /// <summary>Adds a host file at the same path in the rescue tree.</summary>
    public void AddHostFile(string hostPath) => AddHostFile(hostPath, hostPath);

    /// <summary>
    /// Adds a host file (or symlink, followed to its target which is added too) at <paramref name="path"/>. Host directory
    /// symlinks on the way are recreated as symlinks. Returns false when the host path does not exist.
    /// </summary>
    public bool AddHostFile(string hostPath, string path, string hostRoot = "/")
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return AddHost(hostRoot, Normalize(hostPath.StartsWith(hostRoot, StringComparison.Ordinal) && hostRoot != "/"
            ? hostPath[hostRoot.Length..] : hostPath), Normalize(path), seen);
    }

    private bool AddHost(string hostRoot, string hostRel, string rel, HashSet<string> seen)
    {
        if (!seen.Add(hostRel)) return true;
        // Mirror the directory part first: each host component that is a symlink becomes one here too.
        var parts = hostRel.Split('/');
        var sameLayout = hostRel == rel;
        var hostPrefix = "";
        for (var i = 0; i < parts.Length - 1 && sameLayout; i++)
        {
            hostPrefix = hostPrefix.Length == 0 ? parts[i] : hostPrefix + "/" + parts[i];
            var full = Path.Combine(hostRoot, hostPrefix);
            var info = new FileInfo(full);
            if (info.LinkTarget is { } dirLink)
            {
                if (!_entries.ContainsKey(hostPrefix))
                    _entries[hostPrefix] = new RootfsEntry(hostPrefix, RootfsEntryKind.Symlink, UnixModes.Symlink) { LinkTarget = dirLink };
                var targetRel = ResolveLink(hostPrefix, dirLink);
                var rest = string.Join('/', parts[(i + 1)..]);
                return AddHost(hostRoot, targetRel + "/" + rest, targetRel + "/" + rest, seen);
            }
            if (!Directory.Exists(full)) return false;
            if (!_entries.ContainsKey(hostPrefix))
                _entries[hostPrefix] = new RootfsEntry(hostPrefix, RootfsEntryKind.Directory, PermissionsOf(full));
        }

        var hostFull = Path.Combine(hostRoot, hostRel);
        var fi = new FileInfo(hostFull);
        if (fi.LinkTarget is { } link)
        {
            Put(rel, new RootfsEntry("", RootfsEntryKind.Symlink, UnixModes.Symlink) { LinkTarget = link });
            var target = ResolveLink(hostRel, link);
            return AddHost(hostRoot, target, target, seen);
        }
        if (!fi.Exists) return false;
        Put(rel, new RootfsEntry("", RootfsEntryKind.File, PermissionsOf(hostFull)) { HostPath = hostFull });
        return true;
    }

    private static int PermissionsOf(string path) => (int)File.GetUnixFileMode(path) & 0xFFF;

    /// <summary>The tree-relative path a symlink at <paramref name="linkRel"/> with <paramref name="target"/> points at.</summary>
    private static string ResolveLink(string linkRel, string target)
    {
        var baseDir = target.StartsWith('/') ? "" : (Path.GetDirectoryName(linkRel) ?? "");
        var stack = new List<string>();
        foreach (var part in (baseDir + "/" + target).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); continue; }
            stack.Add(part);
        }
        return string.Join('/', stack);
    }

    private void Put(string path, RootfsEntry entry)
    {
        var p = ResolveParent(Normalize(path));
        EnsureParents(p);
        if (_entries.TryGetValue(p, out var existing) && existing.Kind == RootfsEntryKind.Directory && entry.Kind != RootfsEntryKind.Directory)
            throw new InvalidOperationException($"rescue rootfs: {p} is a directory, cannot replace it with a {entry.Kind}");
        _entries[p] = entry with { Path = p };
    }

    private void EnsureParents(string p)
    {
        var slash = p.LastIndexOf('/');
        if (slash <= 0) return;
        var parent = p[..slash];
        if (_entries.ContainsKey(parent)) return;
        EnsureParents(parent);
        _entries[parent] = new RootfsEntry(parent, RootfsEntryKind.Directory, UnixModes.Executable);
    }

    /// <summary>Where an entry named <paramref name="p"/> is stored: its directory resolved through the links in the tree.</summary>
    private string ResolveParent(string p)
    {
        var slash = p.LastIndexOf('/');
        if (slash < 0) return p;
        var dir = Resolve(p[..slash]) ?? p[..slash];
        return dir.Length == 0 ? p[(slash + 1)..] : dir + "/" + p[(slash + 1)..];
    }

    /// <summary>Follows the links already in the tree through every component of <paramref name="p"/>.</summary>
    private string? Resolve(string p)
    {
        var result = "";
        var parts = new Queue<string>(p.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (parts.Count > 0)
        {
            var candidate = result.Length == 0 ? parts.Dequeue() : result + "/" + parts.Dequeue();
            if (_entries.TryGetValue(candidate, out var e) && e.Kind == RootfsEntryKind.Symlink)
            {
                if (++hops > 40) return null;
                var target = ResolveLink(candidate, e.LinkTarget!);
                parts = new Queue<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(parts));
                result = "";
                continue;
            }
            result = candidate;
        }
        return result;
    }

    private static string Normalize(string path) => path.Trim('/').Replace("//", "/");
}
