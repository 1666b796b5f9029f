namespace RescueKit.Host.Native;

// Reads all extended attributes of one inode, either through an open fd (f*xattr) or through a path whose final
// symlink is not followed (l*xattr): each call is the size-then-fetch dance, retried when the value grew in between
// (ERANGE). A filesystem without xattr support has none; an attribute removed meanwhile (ENODATA) is passed over.
public static unsafe class XattrReader
{
    /// <param name="fd">The open file, or -1 to use <paramref name="path"/>.</param>
    /// <param name="directory">With <paramref name="name"/>, the path errors name.</param>
    public static List<Xattr> Read(int fd, byte* path, byte[] directory, ReadOnlySpan<byte> name)
    {
        var result = new List<Xattr>();
        var list = ListNames(fd, path, directory, name);
        Span<byte> nameScratch = stackalloc byte[Posix.NameBufferSize];
        for (var rest = list.AsSpan(); !rest.IsEmpty;)
        {
            var end = rest.IndexOf((byte)0);
            var attributeName = rest[..end].ToArray();
            rest = rest[(end + 1)..];
            fixed (byte* n = Posix.CString(attributeName, nameScratch))
            {
                var value = GetValue(fd, path, n, directory, name);
                if (value is not null) result.Add(new Xattr(attributeName, value));
            }
        }
        result.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return result;
    }

    private static byte[] ListNames(int fd, byte* path, byte[] directory, ReadOnlySpan<byte> name)
    {
        while (true)
        {
            var size = fd >= 0 ? LibC.FListXattr(fd, null, 0) : LibC.LListXattr(path, null, 0);
            if (size < 0 && Posix.LastErrno == Errno.EOPNOTSUPP) return [];
            if (size < 0) throw Posix.Error("listxattr", Posix.Join(directory, name));
            if (size == 0) return [];
            var list = new byte[size];
            fixed (byte* l = list)
            {
                var got = fd >= 0 ? LibC.FListXattr(fd, l, (nuint)size) : LibC.LListXattr(path, l, (nuint)size);
                if (got >= 0) return list.AsSpan(0, (int)got).ToArray();
                if (Posix.LastErrno != Errno.ERANGE) throw Posix.Error("listxattr", Posix.Join(directory, name));
            }
        }
    }

    private static byte[]? GetValue(int fd, byte* path, byte* attribute, byte[] directory, ReadOnlySpan<byte> name)
    {
        while (true)
        {
            var size = fd >= 0 ? LibC.FGetXattr(fd, attribute, null, 0) : LibC.LGetXattr(path, attribute, null, 0);
            if (size < 0 && Posix.LastErrno == Errno.ENODATA) return null;
            if (size < 0) throw Posix.Error("getxattr", Posix.Join(directory, name));
            var value = new byte[size];
            fixed (byte* v = value)
            {
                var buffer = size == 0 ? null : v;
                var got = fd >= 0 ? LibC.FGetXattr(fd, attribute, buffer, (nuint)size)
                    : LibC.LGetXattr(path, attribute, buffer, (nuint)size);
                if (got >= 0) return value.AsSpan(0, (int)got).ToArray();
                if (Posix.LastErrno == Errno.ENODATA) return null;
                if (Posix.LastErrno != Errno.ERANGE) throw Posix.Error("getxattr", Posix.Join(directory, name));
            }
        }
    }
}
