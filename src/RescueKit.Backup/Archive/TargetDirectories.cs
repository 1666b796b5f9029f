using RescueKit.Host.Native;

namespace RescueKit.Backup.Archive;

/// <summary>
/// Opens the parent directories of archive members inside the restore target, one component at a time relative to
/// the previous one with O_NOFOLLOW|O_DIRECTORY, so a symlink anywhere on the way (planted by an earlier member or
/// already on the disk) stops the member instead of redirecting it. Archives list a directory's members together, so
/// the chain of the last member stays open and the next one reuses its common prefix.
/// </summary>
internal sealed class TargetDirectories(DirectoryHandle root, string targetRoot) : IDisposable
{
    private readonly List<(byte[] Name, DirectoryHandle Directory)> chain = [];

    public DirectoryHandle Root { get; } = root;

    /// <summary>
    /// The directory <paramref name="components"/> names (the root for none). With <paramref name="create"/>, missing
    /// directories are made (0700 until their own member, if any, sets them); without, a missing one or a
    /// non-directory gives null (nothing there to reach). A symlink on the way refuses <paramref name="member"/>, and
    /// so does a non-directory when creating.
    /// </summary>
    public DirectoryHandle? Open(IReadOnlyList<byte[]> components, int count, bool create, ReadOnlySpan<byte> member)
    {
        var common = 0;
        while (common < chain.Count && common < count && chain[common].Name.AsSpan().SequenceEqual(components[common]))
            common++;
        Truncate(common);
        for (var i = common; i < count; i++)
        {
            var parent = i == 0 ? Root : chain[i - 1].Directory;
            var next = OpenChild(parent, components[i], create, member);
            if (next is null) return null;
            chain.Add((components[i], next));
        }
        return count == 0 ? Root : chain[count - 1].Directory;
    }

    // Closes the cached directories from depth on.
    private void Truncate(int depth)
    {
        for (var i = chain.Count - 1; i >= depth; i--)
        {
            chain[i].Directory.Dispose();
            chain.RemoveAt(i);
        }
    }

    private DirectoryHandle? OpenChild(DirectoryHandle parent, byte[] name, bool create, ReadOnlySpan<byte> member)
    {
        try
        {
            return parent.OpenDirectory(name);
        }
        catch (NativeIOException e) when (e.Errno == Errno.ENOENT)
        {
            if (!create) return null;
            parent.CreateDirectory(name, 0b111_000_000);
            return parent.OpenDirectory(name);
        }
        catch (NativeIOException e) when (e.Errno is Errno.ELOOP or Errno.ENOTDIR)
        {
            if (parent.Stat(name).Kind == FileKind.Symlink)
                throw MemberPath.Refused(member, $"lies under the symlink '{NativeIOException.Display(e.Path)}'", targetRoot);
            if (!create) return null;
            throw MemberPath.Refused(member, $"lies under '{NativeIOException.Display(e.Path)}', which is not a directory",
                targetRoot);
        }
    }

    public void Dispose() => Truncate(0);
}
