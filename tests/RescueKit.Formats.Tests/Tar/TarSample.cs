using System.Buffers.Binary;
using System.Text;
using RescueKit.Formats.Tar;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>
/// Entries covering every member kind and every pax extension, with their data, in the depth-first order an archiver
/// writes (GNU tar sets a directory's mtime once it meets a member outside it, so a directory's members stay together).
/// </summary>
internal static class TarSample
{
    public const long Mtime = 1_700_000_000_123_456_789; // 2023-11-14 22:13:20.123456789Z

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>A Linux binary ACL xattr: version 2, then (tag, perm, id) entries in the kernel's order.</summary>
    public static byte[] Acl(params (ushort Tag, ushort Perm, uint Id)[] entries)
    {
        var value = new byte[4 + 8 * entries.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(value, 2);
        for (int i = 0; i < entries.Length; i++)
        {
            var at = value.AsSpan(4 + 8 * i);
            BinaryPrimitives.WriteUInt16LittleEndian(at, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], entries[i].Perm);
            BinaryPrimitives.WriteUInt32LittleEndian(at[4..], entries[i].Id);
        }
        return value;
    }

    /// <summary>user::rw-, user:1000:r--, group::r--, group:1001:rw-, mask::rw-, other::r--.</summary>
    public static readonly byte[] FileAcl = Acl((1, 6, uint.MaxValue), (2, 4, 1000), (4, 4, uint.MaxValue), (8, 6, 1001), (0x10, 6, uint.MaxValue), (0x20, 4, uint.MaxValue));

    /// <summary>default: user::rwx, user:1002:r-x, group::r-x, mask::r-x, other::r-x.</summary>
    public static readonly byte[] DirectoryDefaultAcl = Acl((1, 7, uint.MaxValue), (2, 5, 1002), (4, 5, uint.MaxValue), (0x10, 5, uint.MaxValue), (0x20, 5, uint.MaxValue));

    /// <summary>security.capability for cap_net_raw+ep (VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE, permitted bit 13).</summary>
    public static readonly byte[] NetRawCapability = [0x01, 0, 0, 0x02, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public static byte[] Pattern(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public sealed record Member(TarEntry Entry, byte[]? Data);

    /// <summary>The sample; a sparse member's Data is its segments' bytes one after the other.</summary>
    public static List<Member> Build()
    {
        var deepDir = string.Join('/', Enumerable.Range(0, 40).Select(i => $"level{i:D2}-" + new string('d', 91)));
        var members = new List<Member>
        {
            new(new TarEntry { Path = Utf8("."), Type = TarEntryType.Directory, Mode = 0x1ED, MtimeNanoseconds = Mtime }, null),
            new(new TarEntry
            {
                Path = Utf8("dir"), Type = TarEntryType.Directory, Mode = 0x1ED, Uid = 1000, Gid = 1000, MtimeNanoseconds = Mtime,
                Xattrs = [new TarXattr("system.posix_acl_default", DirectoryDefaultAcl)],
            }, null),
            // 0664: setting an ACL sets the group bits from its mask entry (rw-).
            File("dir/hello.txt", Utf8("hello, world\n"), 0x1B4, xattrs:
            [
                new TarXattr("user.binary", [0, 0xFF, (byte)'=', (byte)'\n', 0x80]),
                new TarXattr("system.posix_acl_access", FileAcl),
            ]),
            // '=' ends a pax keyword, so GNU tar writes it (and '%') in xattr names as %3D (%25).
            File("dir/cap", Pattern(70_000, 1), 0x1ED, xattrs: [new TarXattr("user.a=b%c", [1]), new TarXattr("security.capability", NetRawCapability)]),
            File("dir/caf\u00e9-\u65e5\u672c.txt", Utf8("utf-8 name\n"), 0x180),
            File("dir/" + new string('n', 255), Utf8("255-byte name\n"), 0x1A4),
            new(new TarEntry { Path = [.. Utf8("dir/raw-"), 0xFF, 0xFE, (byte)'x'], Type = TarEntryType.Regular, Mode = 0x1A4, Size = 9, MtimeNanoseconds = Mtime }, Utf8("not utf8\n")),
            new(new TarEntry { Path = Utf8("dir/link"), Type = TarEntryType.Symlink, Mode = 0x1FF, MtimeNanoseconds = Mtime, LinkName = Utf8("hello.txt") }, null),
            new(new TarEntry { Path = Utf8("dir/long-link"), Type = TarEntryType.Symlink, Mode = 0x1FF, MtimeNanoseconds = Mtime, LinkName = Utf8(deepDir + "/target") }, null),
            new(new TarEntry { Path = Utf8("dir/hard"), Type = TarEntryType.HardLink, Mode = 0x1A4, MtimeNanoseconds = Mtime, LinkName = Utf8("dir/hello.txt") }, null),
            // A sparse file: 4 KiB of data at 0, 8 KiB at 1 MiB, and a hole to the end at 3 MiB.
            new(new TarEntry
            {
                Path = Utf8("dir/sparse"), Type = TarEntryType.Regular, Mode = 0x1A4, Size = 3 << 20, MtimeNanoseconds = Mtime,
                SparseMap = [new(0, 4096), new(1 << 20, 8192)],
            }, Pattern(4096 + 8192, 2)),
            new(new TarEntry { Path = Utf8("dev-null"), Type = TarEntryType.CharacterDevice, Mode = 0x1B6, MtimeNanoseconds = Mtime, DeviceMajor = 1, DeviceMinor = 3 }, null),
            new(new TarEntry { Path = Utf8("dev-sda1"), Type = TarEntryType.BlockDevice, Mode = 0x1B0, Gid = 6, MtimeNanoseconds = Mtime, DeviceMajor = 8, DeviceMinor = 1 }, null),
            new(new TarEntry { Path = Utf8("fifo"), Type = TarEntryType.Fifo, Mode = 0x1A4, MtimeNanoseconds = Mtime }, null),
            new(new TarEntry { Path = Utf8("big-ids"), Type = TarEntryType.Regular, Mode = 0x1A4, Uid = 4_000_000_000, Gid = 3_000_000, UserName = "user-with-a-name-longer-than-32-bytes", MtimeNanoseconds = 1_700_000_000_000_000_000 }, []),
        };
        // A path of 4095 bytes (PATH_MAX 4096 with its NUL): 40 directories of 100 bytes, then a 95-byte file name.
        var dirs = deepDir.Split('/');
        for (int i = 1; i <= dirs.Length; i++)
            members.Add(new(new TarEntry { Path = Utf8(string.Join('/', dirs[..i])), Type = TarEntryType.Directory, Mode = 0x1ED, MtimeNanoseconds = Mtime }, null));
        members.Add(File(deepDir + "/" + new string('f', 4095 - deepDir.Length - 1), Utf8("deep\n"), 0x1A4));
        return members;
    }

    public static Member File(string path, byte[] data, uint mode, IReadOnlyList<TarXattr>? xattrs = null) =>
        new(new TarEntry
        {
            Path = Utf8(path), Type = TarEntryType.Regular, Mode = mode, Uid = 1000, Gid = 1000, UserName = "alice", GroupName = "staff",
            Size = data.Length, MtimeNanoseconds = Mtime, Xattrs = xattrs ?? [],
        }, data);

    public static byte[] Write(IEnumerable<Member> members)
    {
        var ms = new MemoryStream();
        using (var w = new PaxWriter(ms, leaveOpen: true))
        {
            foreach (var m in members) w.WriteEntry(m.Entry, m.Data is null ? null : new MemoryStream(m.Data));
        }
        return ms.ToArray();
    }
}
