using System.Net.Sockets;
using System.Text;
using RescueKit.Host.Native;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>
/// Builds, under a root, a tree with every kind of entry issue 3 says an archive keeps (and a socket it must skip):
/// regular, empty and sparse files, hard links, symlinks (dangling, absolute), a fifo, character and block devices,
/// names that are not UTF-8, a 255-byte name, a 4096-byte path, user/trusted/security xattrs, POSIX ACLs (access and
/// default, set with setfacl), a file capability (setcap), set-id and sticky bits, odd modes, uid/gid 12345, and
/// nanosecond mtimes on everything (one before 1970).
/// </summary>
internal static class SampleTree
{
    public const uint OddOwner = 12345;

    /// <summary>The one entry the archive leaves out (with a warning).</summary>
    public static readonly byte[] Socket = B("sock");

    public static readonly byte[] NonUtf8File = [.. B("bad-"), 0xff, 0xfe, .. B("-name")];

    public static readonly byte[] NonUtf8Directory = [.. B("dir-"), 0xe9];

    public static readonly byte[] LongName = B(new string('n', 251) + ".txt");

    /// <summary>A relative path of exactly 4096 bytes: "deep" and 16 directories of 250 bytes, then a 75-byte file.</summary>
    public static readonly byte[] LongPath = B("deep" + string.Concat(Enumerable.Range(0, 16)
        .Select(i => "/" + new string((char)('a' + i), 250))) + "/" + new string('f', 75));

    public static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Builds the tree; the returned socket must stay open while the tree is archived (.NET removes the
    /// socket's file when it is closed).</summary>
    public static Socket Build(string root)
    {
        using var top = DirectoryHandle.Open(root);
        var created = new List<byte[]>();

        void Put(string path, byte[] content, uint mode) => WriteFile(top, B(path), content, mode, created);

        Put("regular.txt", B("hello, world\n"), 0b110_100_100);
        Put("random.bin", RandomBytes(300_000, seed: 1), 0b110_000_000);
        Put("empty", [], 0b100_000_000);
        WriteFile(top, NonUtf8File, B("not utf-8\n"), 0b110_100_100, created);
        MakeDirectory(top, NonUtf8Directory, 0b111_101_101, created);
        WriteFile(top, [.. NonUtf8Directory, .. B("/inner")], B("inner\n"), 0b110_100_100, created);
        WriteFile(top, LongName, B("long name\n"), 0b110_100_100, created);
        var parts = Encoding.UTF8.GetString(LongPath).Split('/');
        for (var depth = 1; depth < parts.Length; depth++)
            MakeDirectory(top, B(string.Join('/', parts[..depth])), 0b111_101_101, created);
        WriteFile(top, LongPath, B("deep file\n"), 0b110_100_100, created);

        // Sparse: data at the start, in the middle and at the very end of 1 GiB; one ending in a hole; one all hole.
        WriteSparse(top, "sparse.img", 1L << 30, [(0, 64 * 1024), (512L << 20, 1 << 20), ((1L << 30) - 4096, 4096)], created);
        WriteSparse(top, "sparse-tail-hole.img", 64L << 20, [(1L << 20, 8192)], created);
        WriteSparse(top, "all-hole.img", 16L << 20, [], created);

        MakeDirectory(top, B("dir1"), 0b111_101_101, created);
        Put("hard-a", B("linked\n"), 0b110_100_100);
        top.CreateHardLink(B("hard-c"), top, B("hard-a"));
        using (var dir1 = top.OpenDirectory(B("dir1"))) dir1.CreateHardLink(B("hard-b"), top, B("hard-a"));
        created.Add(B("hard-c"));
        created.Add(B("dir1/hard-b"));

        top.CreateSymlink(B("symlink"), B("regular.txt"));
        top.CreateSymlink(B("dangling"), B("does/not/exist"));
        top.CreateSymlink(B("absolute-link"), B("/etc/passwd"));
        top.CreateFifo(B("fifo"), 0b110_100_000);
        top.CreateDevice(B("chardev"), FileKind.CharacterDevice, 0b110_110_110, 1, 3);
        top.CreateDevice(B("blockdev"), FileKind.BlockDevice, 0b110_110_000, 7, 300);
        created.AddRange([B("symlink"), B("dangling"), B("absolute-link"), B("fifo"), B("chardev"), B("blockdev")]);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(root, "sock")));

        Put("setuid", B("#!/bin/sh\n"), 0b100_111_101_101);
        Put("allbits", B("x"), 0b111_111_111_111);
        Put("nobits", B("y"), 0);
        Put("old-file", B("from 1966\n"), 0b110_100_100);
        MakeDirectory(top, B("setgid-dir"), 0b010_111_111_101, created);
        MakeDirectory(top, B("sticky-dir"), 0b001_111_111_111, created);
        MakeDirectory(top, B("readonly-dir"), 0b101_101_101, created);
        Put("readonly-dir/inside", B("z"), 0b100_100_100);
        Put("capfile", RandomBytes(4096, seed: 2), 0b111_101_101);
        Put("acl-file", B("acl\n"), 0b110_100_100);
        MakeDirectory(top, B("acl-dir"), 0b111_101_101, created);

        foreach (var path in new[] { "random.bin", "setgid-dir", "allbits" })
            top.SetOwner(B(path), OddOwner, OddOwner);
        top.SetOwner(B("symlink"), OddOwner, 54321);

        Tool(root, "setfattr", "attr", "-n", "user.comment", "-v", "hello", "regular.txt");
        Tool(root, "setfattr", "attr", "-n", "user.binary", "-v", "0x00ff10fe", "regular.txt");
        Tool(root, "setfattr", "attr", "-n", "security.selinux", "-v", "system_u:object_r:etc_t:s0", "regular.txt");
        Tool(root, "setfattr", "attr", "-n", "user.on-dir", "-v", "dir value", "dir1");
        Tool(root, "setfattr", "attr", "-h", "-n", "trusted.mark", "-v", "on the link itself", "symlink");
        Tool(root, "setfacl", "acl", "-m", "u:12345:rwx,g:54321:r-x,m::rwx", "acl-file");
        Tool(root, "setfacl", "acl", "-m", "u:12345:r-x", "acl-dir");
        Tool(root, "setfacl", "acl", "-d", "-m", "u:12345:rwx,g::r-x", "acl-dir");
        Put("acl-dir/inherits", B("inherited acl\n"), 0b110_100_100);
        // Made without the ACL it inherits: a restore must not give it one (the new file inherits the default ACL).
        Put("acl-dir/no-acl", B("no acl\n"), 0b110_100_100);
        Tool(root, "setfacl", "acl", "-b", "acl-dir/no-acl");
        Tool(root, "setcap", "libcap2-bin", "cap_net_raw,cap_net_bind_service+ep", "capfile");

        // Mtimes last, children before their directories (creating a child changes its directory's mtime).
        var index = 0;
        foreach (var path in Enumerable.Reverse(created))
            SetMtime(top, path, 1_700_000_000_123_456_789 + index++ * 1_000_000_007L);
        SetMtime(top, B("old-file"), -107_000_000_987_654_321);
        top.SetModificationTime("."u8, 1_699_999_999_999_999_999);
        return socket;
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void Tool(string root, string program, string package, params string[] args)
        => ExternalTool.RunOk(program, package, args, workingDirectory: root);

    private static void SetMtime(DirectoryHandle top, byte[] path, long mtime)
    {
        var (parent, name) = OpenParent(top, path);
        using (parent == top ? null : parent) parent.SetModificationTime(name, mtime);
    }

    /// <summary>The directory holding <paramref name="path"/> (the root itself at the top) and the last name.</summary>
    public static (DirectoryHandle Parent, byte[] Name) OpenParent(DirectoryHandle top, byte[] path)
    {
        var slash = Array.LastIndexOf(path, (byte)'/');
        if (slash < 0) return (top, path);
        var current = top;
        foreach (var range in path.AsSpan(0, slash).Split((byte)'/'))
        {
            var next = current.OpenDirectory(path.AsSpan(0, slash)[range]);
            if (current != top) current.Dispose();
            current = next;
        }
        return (current, path[(slash + 1)..]);
    }

    private static void MakeDirectory(DirectoryHandle top, byte[] path, uint mode, List<byte[]> created)
    {
        var (parent, name) = OpenParent(top, path);
        using (parent == top ? null : parent)
        {
            parent.CreateDirectory(name, mode);
            parent.SetMode(name, mode);
        }
        created.Add(path);
    }

    private static void WriteFile(DirectoryHandle top, byte[] path, byte[] content, uint mode, List<byte[]> created)
    {
        var (parent, name) = OpenParent(top, path);
        using (parent == top ? null : parent)
        using (var file = parent.CreateFile(name, 0b110_000_000))
        {
            file.Write(content, 0);
            file.SetMode(mode);
        }
        created.Add(path);
    }

    private static void WriteSparse(DirectoryHandle top, string path, long size, (long Offset, int Length)[] data,
        List<byte[]> created)
    {
        using (var file = top.CreateFile(B(path), 0b110_100_100))
        {
            var seed = 10;
            foreach (var (offset, length) in data) file.Write(RandomBytes(length, seed++), offset);
            file.Truncate(size);
        }
        created.Add(B(path));
    }
}
