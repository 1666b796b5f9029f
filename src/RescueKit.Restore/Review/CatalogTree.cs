using System.Text;
using RescueKit.Backup.Sets;
using RescueKit.Core.Backup;

namespace RescueKit.Restore.Review;

/// <summary>
/// The backup's files as a tree to browse and pick from, made in one pass over the catalog. A catalog can hold
/// millions of entries, so a node is a handful of numbers in flat arrays and its name a slice of one byte buffer
/// (about 40 bytes an entry); a directory's children are sorted only when it is opened. Paths are the host's: each
/// set's entries hang below its mount point, so /home's set shows under /home.
/// </summary>
public sealed class CatalogTree
{
    private const byte KindDirectory = 1, KindOther = 0;

    private byte[] _names = new byte[1 << 16];
    private int _namesUsed;
    private int[] _nameStart = new int[1024];
    private int[] _nameLength = new int[1024];
    private int[] _parent = new int[1024];
    private int[] _firstChild = new int[1024];
    private int[] _nextSibling = new int[1024];
    private byte[] _kind = new byte[1024];
    private long[] _size = new long[1024];
    private readonly Dictionary<string, int> _directories = new(StringComparer.Ordinal);

    /// <summary>The number of nodes, the root included.</summary>
    public int Count { get; private set; }

    /// <summary>The root, "/".</summary>
    public const int Root = 0;

    private CatalogTree()
    {
        Add(-1, [], KindDirectory, 0);
        _directories["/"] = Root;
    }

    /// <summary>The tree of <paramref name="backup"/>'s catalog (decrypted with <paramref name="key"/>), each set under
    /// its mount point.</summary>
    public static CatalogTree Of(BackupSet backup, BackupKey? key) => Of(CatalogReader.Read(backup, key),
        backup.Manifest.Sets.ToDictionary(s => s.Name, s => s.MountPoint, StringComparer.Ordinal));

    /// <summary>The tree of <paramref name="entries"/> (a backup's catalog, whose newest backup lists the whole tree),
    /// each set's under its mount point (<paramref name="mountPoints"/>: set name → mount point).</summary>
    public static CatalogTree Of(IEnumerable<CatalogEntry> entries, IReadOnlyDictionary<string, string> mountPoints)
    {
        var tree = new CatalogTree();
        foreach (var e in entries)
        {
            if (e.Deleted || !mountPoints.TryGetValue(e.Set, out var mountPoint)) continue;
            var relative = Encoding.UTF8.GetString(e.PathBytes());
            while (relative.StartsWith("./", StringComparison.Ordinal)) relative = relative[2..];
            relative = relative.TrimEnd('/');
            var isDirectory = e.Type == CatalogTypes.Directory;
            if (relative is "" or ".")
            {
                tree.Directory(mountPoint.TrimEnd('/') is "" ? "/" : mountPoint.TrimEnd('/'));
                continue;
            }
            var path = mountPoint.TrimEnd('/') + "/" + relative;
            if (isDirectory)
            {
                // Made already when something in it came first (a set's mount point, an entry of another order).
                tree.Directory(path);
                continue;
            }
            var slash = path.LastIndexOf('/');
            tree.Add(tree.Directory(slash == 0 ? "/" : path[..slash]), Encoding.UTF8.GetBytes(path[(slash + 1)..]), KindOther, e.Size);
        }
        return tree;
    }

    /// <summary>The node of the directory <paramref name="path"/>, made (with those above it) when the catalog had not
    /// listed it yet.</summary>
    private int Directory(string path)
    {
        if (_directories.TryGetValue(path, out var node)) return node;
        var slash = path.LastIndexOf('/');
        var parent = Directory(slash <= 0 ? "/" : path[..slash]);
        node = Add(parent, Encoding.UTF8.GetBytes(path[(slash + 1)..]), KindDirectory, 0);
        _directories[path] = node;
        return node;
    }

    private int Add(int parent, byte[] name, byte kind, long size)
    {
        var node = Count++;
        if (node == _parent.Length)
        {
            var length = node * 2;
            Array.Resize(ref _nameStart, length);
            Array.Resize(ref _nameLength, length);
            Array.Resize(ref _parent, length);
            Array.Resize(ref _firstChild, length);
            Array.Resize(ref _nextSibling, length);
            Array.Resize(ref _kind, length);
            Array.Resize(ref _size, length);
        }
        if (_namesUsed + name.Length > _names.Length) Array.Resize(ref _names, Math.Max(_names.Length * 2, _namesUsed + name.Length));
        name.CopyTo(_names, _namesUsed);
        (_nameStart[node], _nameLength[node]) = (_namesUsed, name.Length);
        _namesUsed += name.Length;
        (_parent[node], _kind[node], _size[node], _firstChild[node]) = (parent, kind, size, -1);
        _nextSibling[node] = -1;
        if (parent >= 0)
        {
            _nextSibling[node] = _firstChild[parent];
            _firstChild[parent] = node;
        }
        return node;
    }

    public string Name(int node) => Encoding.UTF8.GetString(_names, _nameStart[node], _nameLength[node]);

    public bool IsDirectory(int node) => _kind[node] == KindDirectory;

    public long Size(int node) => _size[node];

    public int? Parent(int node) => _parent[node] < 0 ? null : _parent[node];

    /// <summary>The node's absolute path on the host.</summary>
    public string PathOf(int node)
    {
        if (node == Root) return "/";
        var parts = new List<string>();
        for (var n = node; n != Root; n = _parent[n]) parts.Add(Name(n));
        parts.Reverse();
        return "/" + string.Join('/', parts);
    }

    /// <summary>A directory's children, directories first, each group by name.</summary>
    public IReadOnlyList<int> Children(int node)
    {
        var children = new List<int>();
        for (var c = _firstChild[node]; c >= 0; c = _nextSibling[c]) children.Add(c);
        children.Sort((a, b) => _kind[a] != _kind[b] ? _kind[b].CompareTo(_kind[a])
            : _names.AsSpan(_nameStart[a], _nameLength[a]).SequenceCompareTo(_names.AsSpan(_nameStart[b], _nameLength[b])));
        return children;
    }

    /// <summary>The node of <paramref name="path"/>, or null when the backup has none.</summary>
    public int? Find(string path)
    {
        var node = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var found = -1;
            for (var c = _firstChild[node]; c >= 0 && found < 0; c = _nextSibling[c])
                if (Name(c) == part) found = c;
            if (found < 0) return null;
            node = found;
        }
        return node;
    }

    /// <summary>The include glob (`restore --files-only --include`) that restores exactly <paramref name="node"/> and,
    /// for a directory, everything in it: its path with the glob's special characters made literal.</summary>
    public string IncludeOf(int node)
    {
        var path = PathOf(node);
        var glob = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c is '*' or '?' or '[' or '\\') glob.Append('\\');
            glob.Append(c);
        }
        return glob.ToString();
    }
}
