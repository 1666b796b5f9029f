using RescueKit.Host.Native;
using RescueKit.Core;

namespace RescueKit.Backup.Archive;

/// <summary>One entry met by <see cref="TreeWalker"/>: valid (its directory open) until the walk moves on.</summary>
internal sealed class WalkItem(DirectoryHandle directory, byte[] name, byte[] relativePath, byte[] rootPath,
    FileStatus status)
{
    private byte[]? absolutePath;

    /// <summary>The open directory holding the entry; for the root, the root itself with <see cref="Name"/> ".".</summary>
    public DirectoryHandle Directory { get; } = directory;

    public byte[] Name { get; } = name;

    /// <summary>The path relative to the walk's root, "." for the root.</summary>
    public byte[] RelativePath { get; } = relativePath;

    public FileStatus Status { get; } = status;

    /// <summary>The absolute path, for messages (built only when one is needed).</summary>
    public string DisplayPath => NativeIOException.Display(absolutePath ??= Absolute(rootPath, RelativePath));

    internal static byte[] Absolute(byte[] rootPath, byte[] relativePath)
        => relativePath is [(byte)'.'] ? rootPath : Posix.Join(rootPath, relativePath);
}

/// <summary>
/// Walks one filesystem depth first, each directory's names sorted by their bytes so two walks of the same tree give
/// the same order, and every step taken relative to an open directory fd with O_NOFOLLOW (a symlink is an entry,
/// never a way out). A directory on another device (a mount point) is yielded but not entered; excluded paths are
/// neither yielded nor entered; entries that vanish or cannot be read are reported and passed over.
/// </summary>
internal static class TreeWalker
{
    private static readonly byte[] Dot = "."u8.ToArray();

    private sealed class Frame(DirectoryHandle directory, byte[] relativePath, List<byte[]> names) : IDisposable
    {
        public DirectoryHandle Directory { get; } = directory;

        public byte[] RelativePath { get; } = relativePath;

        public List<byte[]> Names { get; } = names;

        public int Next { get; set; }

        public void Dispose() => Directory.Dispose();
    }

    public static IEnumerable<WalkItem> Walk(string root, IReadOnlyList<PathGlob> excludes,
        Action<string, string> onWarning, CancellationToken cancellationToken)
    {
        var (rootDirectory, rootStatus, rootNames) = OpenRoot(root);
        var stack = new Stack<Frame>();
        try
        {
            var rootPath = rootDirectory.Path;
            stack.Push(new Frame(rootDirectory, [], rootNames));
            yield return new WalkItem(rootDirectory, Dot, Dot, rootPath, rootStatus);

            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var frame = stack.Peek();
                if (frame.Next == frame.Names.Count)
                {
                    stack.Pop().Dispose();
                    continue;
                }
                var name = frame.Names[frame.Next++];
                var relative = frame.RelativePath.Length == 0 ? name : Posix.Join(frame.RelativePath, name);
                if (excludes.Count > 0 && IsExcluded(excludes, WalkItem.Absolute(rootPath, relative))) continue;

                FileStatus status;
                try
                {
                    status = frame.Directory.Stat(name);
                }
                catch (NativeIOException e)
                {
                    onWarning(NativeIOException.Display(WalkItem.Absolute(rootPath, relative)), Vanished(e));
                    continue;
                }
                var item = new WalkItem(frame.Directory, name, relative, rootPath, status);
                yield return item;

                if (status.Kind != FileKind.Directory || !status.OnSameMountAs(rootStatus)) continue;
                DirectoryHandle? child = null;
                try
                {
                    child = frame.Directory.OpenDirectory(name);
                    stack.Push(new Frame(child, relative, SortedNames(child)));
                }
                catch (NativeIOException e)
                {
                    child?.Dispose();
                    onWarning(item.DisplayPath, $"directory not read, archived empty: {Vanished(e)}");
                }
            }
        }
        finally
        {
            while (stack.Count > 0) stack.Pop().Dispose();
            rootDirectory.Dispose();
        }
    }

    // The root is the one entry that must be readable: without it there is no backup to make.
    private static (DirectoryHandle, FileStatus, List<byte[]>) OpenRoot(string root)
    {
        DirectoryHandle? directory = null;
        try
        {
            directory = DirectoryHandle.Open(root);
            return (directory, directory.Stat(Dot), SortedNames(directory));
        }
        catch (NativeIOException e)
        {
            directory?.Dispose();
            throw new BadInputException($"cannot archive '{root}': {e.Message}; give an existing, readable directory");
        }
    }

    /// <summary>What to say about an entry that could not be read: vanished ones are named as such.</summary>
    internal static string Vanished(NativeIOException e)
        => e.Errno == Errno.ENOENT ? "vanished during the backup" : e.Message;

    private static List<byte[]> SortedNames(DirectoryHandle directory)
    {
        var names = directory.ReadNames();
        names.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        return names;
    }

    private static bool IsExcluded(IReadOnlyList<PathGlob> excludes, byte[] absolute)
    {
        foreach (var glob in excludes)
            if (glob.Matches(absolute)) return true;
        return false;
    }
}
