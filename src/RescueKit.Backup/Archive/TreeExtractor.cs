using RescueKit.Host.Native;
using RescueKit.Core;
using RescueKit.Formats.Tar;

namespace RescueKit.Backup.Archive;

/// <summary>
/// Restores a PAX tar stream (as <see cref="TreeArchiver"/> writes it, or GNU tar) into a directory: files (sparse
/// ones with their holes), directories, symlinks, hard links, devices, fifos; owners by number, modes incl. set-id
/// bits, nanosecond mtimes, xattrs and ACLs. Every member is created relative to directory fds opened with O_NOFOLLOW
/// (<see cref="TargetDirectories"/>), so a member that would land outside the target — absolute, "..", through a
/// symlink, or a hard link to such a path — is refused before anything of it is written, reported through
/// <see cref="ExtractOptions.OnWarning"/>, and skipped; the members after it are restored. Directory metadata is applied last, deepest first, so their mtimes and read-only modes stick.
/// </summary>
internal static class TreeExtractor
{
    /// <summary>Extracts every member into <paramref name="targetRoot"/>; returns the number of members restored.</summary>
    public static long Extract(Stream tarInput, string targetRoot, ExtractOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tarInput);
        ArgumentNullException.ThrowIfNull(options);
        using var root = OpenTarget(targetRoot);
        using var directories = new TargetDirectories(root, targetRoot);
        using var reader = new PaxReader(tarInput, leaveOpen: true);
        var run = new Extraction(directories, targetRoot, options);
        long count = 0;
        try
        {
            while (reader.ReadNext() is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (run.Restore(entry, reader)) count++;
            }
            run.ApplyDirectoryMetadata(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"the archive is corrupt: {e.Message}; restore from another copy", e);
        }
        return count;
    }

    /// <summary>
    /// Removes <paramref name="relativePaths"/> (directories with their contents) from <paramref name="targetRoot"/>:
    /// the deletions a later incremental backup recorded. Apply them before extracting that incremental archive, so
    /// the directories it restores keep their recorded mtimes. Paths already gone are fine; a path that escapes the
    /// target is refused as in <see cref="Extract"/>.
    /// </summary>
    public static void Delete(string targetRoot, IEnumerable<byte[]> relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        using var root = OpenTarget(targetRoot);
        using var directories = new TargetDirectories(root, targetRoot);
        foreach (var path in relativePaths)
        {
            var components = MemberPath.Split(path, path, "path", targetRoot);
            if (components.Count == 0) throw MemberPath.Refused(path, "names the restore target itself", targetRoot);
            var parent = directories.Open(components, components.Count - 1, create: false, path);
            if (parent is null) continue;
            try
            {
                RemoveTree(parent, components[^1]);
            }
            catch (NativeIOException e)
            {
                throw Failed(path, e);
            }
        }
    }

    private static DirectoryHandle OpenTarget(string targetRoot)
    {
        try
        {
            return DirectoryHandle.Open(targetRoot);
        }
        catch (NativeIOException e)
        {
            throw new BadInputException($"cannot restore into '{targetRoot}': {e.Message}; give an existing directory");
        }
    }

    /// <summary>Removes <paramref name="name"/> and, for a directory, everything in it; absent is fine.</summary>
    internal static void RemoveTree(DirectoryHandle parent, byte[] name)
    {
        FileStatus status;
        try
        {
            status = parent.Stat(name);
        }
        catch (NativeIOException e) when (e.Errno == Errno.ENOENT)
        {
            return;
        }
        if (status.Kind == FileKind.Directory)
        {
            using var directory = parent.OpenDirectory(name);
            foreach (var child in directory.ReadNames()) RemoveTree(directory, child);
        }
        parent.Remove(name, directory: status.Kind == FileKind.Directory);
    }

    /// <summary>A failed filesystem call while restoring <paramref name="member"/>, as the error the user sees.</summary>
    internal static RescueKitException Failed(ReadOnlySpan<byte> member, NativeIOException e)
        => new($"restoring '{NativeIOException.Display(member)}' failed: {e.Message}", ExitCodes.Failed, e);
}
