using System.Text;

namespace RescueKit.Host.Native;

/// <summary>One entry below the top of a <see cref="HostTree"/> walk: its path relative to the top ('/'-separated),
/// its lstat, and a symlink's target.</summary>
public sealed record HostTreeEntry(string RelativePath, FileStatus Status, string? LinkTarget);

/// <summary>
/// An lstat walk of a host directory in ordinal name order, never following a symlink: what image writers copy a
/// tree from, so they keep modes, owners, mtimes, link targets and device numbers that .NET's file APIs do not expose.
/// </summary>
public static class HostTree
{
    /// <summary>The lstat of <paramref name="path"/> itself.</summary>
    public static FileStatus Lstat(string path)
    {
        var full = Path.GetFullPath(path);
        using var parent = DirectoryHandle.Open(Path.GetDirectoryName(full) ?? "/");
        return parent.Stat(full == "/" ? "."u8 : Encoding.UTF8.GetBytes(Path.GetFileName(full)));
    }

    /// <summary>Every entry below <paramref name="top"/>, a directory before what it holds.</summary>
    public static IEnumerable<HostTreeEntry> Walk(string top)
    {
        var full = Path.GetFullPath(top);
        if (Lstat(full).Kind != FileKind.Directory) throw new IOException($"{top} is not a directory");
        return Below(full, "");
    }

    private static IEnumerable<HostTreeEntry> Below(string hostDirectory, string relative)
    {
        // One handle per directory: every child is stat'ed and read relative to it.
        var children = new List<HostTreeEntry>();
        using (var directory = DirectoryHandle.Open(hostDirectory))
        {
            foreach (var raw in directory.ReadNames())
            {
                var name = Encoding.UTF8.GetString(raw);
                var status = directory.Stat(raw);
                var target = status.Kind == FileKind.Symlink ? Encoding.UTF8.GetString(directory.ReadLink(raw)) : null;
                children.Add(new HostTreeEntry(relative.Length == 0 ? name : relative + "/" + name, status, target));
            }
        }
        foreach (var child in children.OrderBy(c => c.RelativePath, StringComparer.Ordinal))
        {
            yield return child;
            if (child.Status.Kind == FileKind.Directory)
                foreach (var below in Below(Path.Combine(hostDirectory, Path.GetFileName(child.RelativePath)), child.RelativePath))
                    yield return below;
        }
    }
}
