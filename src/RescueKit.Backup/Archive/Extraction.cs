using System.Text;
using RescueKit.Host.Native;
using RescueKit.Formats.Tar;

namespace RescueKit.Backup.Archive;

/// <summary>One <see cref="TreeExtractor.Extract"/> run: restores member after member and remembers the directories
/// whose metadata is applied at the end.</summary>
internal sealed class Extraction(TargetDirectories directories, string targetRoot, ExtractOptions options)
{
    private const int BufferSize = 1024 * 1024;
    private const uint CreationMode = 0b110_000_000; // 0600 for a file until its own mode is set
    private const uint DirectoryCreationMode = 0b111_000_000; // 0700 for a directory until the end

    private static readonly byte[] Dot = "."u8.ToArray();

    private readonly List<(List<byte[]> Components, TarEntry Entry)> pendingDirectories = [];
    private readonly byte[] buffer = new byte[BufferSize];

    /// <summary>Restores one member; false when it was skipped with a warning. The refusals of
    /// <see cref="MemberPath"/> and <see cref="TargetDirectories"/> happen before anything of it is created, so a
    /// refused member is skipped, reported, and the members after it are still restored (one planted entry must not
    /// cost the rest of the machine); a failed filesystem call becomes an error naming the member.</summary>
    public bool Restore(TarEntry entry, PaxReader reader)
    {
        try
        {
            return RestoreMember(entry, reader);
        }
        catch (MemberRefusedException e)
        {
            options.OnWarning?.Invoke(e.Message);
            return false;
        }
        catch (NativeIOException e)
        {
            throw TreeExtractor.Failed(entry.Path, e);
        }
    }

    private bool RestoreMember(TarEntry entry, PaxReader reader)
    {
        var member = entry.Path;
        if (options.Include is { } include && !include.Wants(member, entry.Type == TarEntryType.Directory)) return false;
        var components = MemberPath.Split(member, member, "path", targetRoot);
        if (components.Count == 0)
        {
            if (entry.Type != TarEntryType.Directory)
                throw MemberPath.Refused(member, $"names the restore target itself but is a {entry.Type}", targetRoot);
            pendingDirectories.Add((components, entry));
            return true;
        }
        if (entry.Type == TarEntryType.HardLink)
        {
            var target = MemberPath.Split(entry.LinkName ?? [], member, "hard link target", targetRoot);
            if (target.Count == 0)
                throw MemberPath.Refused(member, "is a hard link to the restore target itself", targetRoot);
            using var targets = new TargetDirectories(directories.Root, targetRoot);
            var targetParent = targets.Open(target, target.Count - 1, create: false, member);
            var linkParent = directories.Open(components, components.Count - 1, create: true, member)!;
            if (targetParent is null)
            {
                Warn(member, $"hard link target '{NativeIOException.Display(entry.LinkName)}' does not exist; not linked");
                return false;
            }
            try
            {
                Replacing(linkParent, components[^1], () => linkParent.CreateHardLink(components[^1], targetParent, target[^1]));
            }
            catch (NativeIOException e) when (e.Errno == Errno.ENOENT)
            {
                Warn(member, $"hard link target '{NativeIOException.Display(entry.LinkName)}' does not exist; not linked");
                return false;
            }
            return true;
        }

        var parent = directories.Open(components, components.Count - 1, create: true, member)!;
        var name = components[^1];
        switch (entry.Type)
        {
            case TarEntryType.Directory:
                MakeDirectory(parent, name);
                pendingDirectories.Add((components, entry));
                return true;
            case TarEntryType.Regular:
                WriteFile(parent, name, entry, reader);
                return true;
            case TarEntryType.Symlink:
                Replacing(parent, name, () => parent.CreateSymlink(name, entry.LinkName ?? []));
                ApplyMetadata(parent, name, entry);
                return true;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                return MakeNode(parent, name, entry);
            default:
                Warn(member, $"member type '{(char)entry.Type}' is not restored");
                return false;
        }
    }

    /// <summary>Sets each directory's owner, mode, xattrs and mtime, deepest first, now that nothing more is created
    /// in them.</summary>
    public void ApplyDirectoryMetadata(CancellationToken cancellationToken)
    {
        for (var i = pendingDirectories.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (components, entry) = pendingDirectories[i];
            try
            {
                var directory = directories.Open(components, components.Count, create: false, entry.Path);
                if (directory is not null) ApplyMetadata(directory, Dot, entry);
            }
            catch (NativeIOException e)
            {
                throw TreeExtractor.Failed(entry.Path, e);
            }
        }
        pendingDirectories.Clear();
    }

    private static void MakeDirectory(DirectoryHandle parent, byte[] name)
    {
        try
        {
            parent.CreateDirectory(name, DirectoryCreationMode);
        }
        catch (NativeIOException e) when (e.Errno == Errno.EEXIST)
        {
            if (parent.Stat(name).Kind == FileKind.Directory) return;
            parent.Remove(name, directory: false);
            parent.CreateDirectory(name, DirectoryCreationMode);
        }
    }

    private void WriteFile(DirectoryHandle parent, byte[] name, TarEntry entry, PaxReader reader)
    {
        using (var file = Replacing(parent, name, () => parent.CreateFile(name, CreationMode)))
        {
            using var data = reader.OpenData();
            if (entry.SparseMap is { } map)
            {
                // Only the data segments are written; the holes between them stay holes, and ftruncate gives the
                // file its full size with a trailing hole.
                foreach (var segment in map) Copy(data, file, segment.Offset, segment.Length, entry);
                file.Truncate(entry.Size);
            }
            else
            {
                Copy(data, file, 0, entry.Size, entry);
            }
            if (options.RestoreOwners) file.SetOwner(entry.Uid, entry.Gid);
            file.SetMode(entry.Mode);
            SetXattrs(parent, name, entry);
            file.SetModificationTime(entry.MtimeNanoseconds);
        }
    }

    private void Copy(Stream data, UnixFd file, long offset, long length, TarEntry entry)
    {
        for (var done = 0L; done < length;)
        {
            var n = data.Read(buffer, 0, (int)Math.Min(buffer.Length, length - done));
            if (n == 0)
                throw new InvalidDataException(
                    $"member '{NativeIOException.Display(entry.Path)}' ends after {done} of {length} bytes at offset {offset}");
            file.Write(buffer.AsSpan(0, n), offset + done);
            done += n;
        }
    }

    private bool MakeNode(DirectoryHandle parent, byte[] name, TarEntry entry)
    {
        try
        {
            Replacing(parent, name, () =>
            {
                if (entry.Type == TarEntryType.Fifo)
                    parent.CreateFifo(name, CreationMode);
                else
                    parent.CreateDevice(name, entry.Type == TarEntryType.BlockDevice ? FileKind.BlockDevice
                        : FileKind.CharacterDevice, CreationMode, entry.DeviceMajor, entry.DeviceMinor);
            });
        }
        catch (NativeIOException e) when (e.Errno == Errno.EPERM)
        {
            Warn(entry.Path, $"not created ({e.Message}): device nodes need root");
            return false;
        }
        ApplyMetadata(parent, name, entry);
        return true;
    }

    // Creates an entry; when something is already there (a restore over an existing tree, an incremental on top of
    // a full one), removes it, a directory with its contents, and creates again.
    private static void Replacing(DirectoryHandle parent, byte[] name, Action create)
        => Replacing(parent, name, () =>
        {
            create();
            return true;
        });

    private static T Replacing<T>(DirectoryHandle parent, byte[] name, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (NativeIOException e) when (e.Errno == Errno.EEXIST)
        {
            TreeExtractor.RemoveTree(parent, name);
            return create();
        }
    }

    // Owner before mode (chown clears set-id bits), xattrs after chown (it clears security.capability), mtime last.
    private void ApplyMetadata(DirectoryHandle parent, byte[] name, TarEntry entry)
    {
        if (options.RestoreOwners) parent.SetOwner(name, entry.Uid, entry.Gid);
        if (entry.Type != TarEntryType.Symlink) parent.SetMode(name, entry.Mode);
        SetXattrs(parent, name, entry);
        parent.SetModificationTime(name, entry.MtimeNanoseconds);
    }

    private void SetXattrs(DirectoryHandle parent, byte[] name, TarEntry entry)
    {
        // A new entry inherits its parent's default ACL; an entry archived without ACLs had none, so drop it.
        if (entry.Type != TarEntryType.Symlink)
            foreach (var acl in AclXattrs)
                if ((acl != DefaultAcl || entry.Type == TarEntryType.Directory) && entry.Xattrs.All(x => x.Name != acl))
                    RemoveInherited(parent, name, entry, acl);
        foreach (var x in entry.Xattrs)
        {
            try
            {
                parent.SetXattr(name, new Xattr(Encoding.UTF8.GetBytes(x.Name), x.Value));
            }
            catch (NativeIOException e)
            {
                Warn(entry.Path, $"xattr {x.Name} not restored: {e.Message}");
            }
        }
    }

    private const string AccessAcl = "system.posix_acl_access";
    private const string DefaultAcl = "system.posix_acl_default";
    private static readonly string[] AclXattrs = [AccessAcl, DefaultAcl];

    private void RemoveInherited(DirectoryHandle parent, byte[] name, TarEntry entry, string acl)
    {
        try
        {
            parent.RemoveXattr(name, Encoding.ASCII.GetBytes(acl));
        }
        catch (NativeIOException e)
        {
            Warn(entry.Path, $"inherited {acl} not removed: {e.Message}");
        }
    }

    private void Warn(ReadOnlySpan<byte> member, string message)
        => options.OnWarning?.Invoke($"{NativeIOException.Display(member)}: {message}");
}
