using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.Tar;

/// <summary>
/// Converts between the Linux binary ACL xattr (system.posix_acl_access / system.posix_acl_default; the kernel's
/// include/uapi/linux/posix_acl_xattr.h: a little-endian u32 version 2, then entries of u16 e_tag, u16 e_perm,
/// u32 e_id) and the POSIX.1e short text form GNU tar (--acls) and libarchive carry in SCHILY.acl.access/default.
/// </summary>
internal static class PosixAcl
{
    public const string AccessXattr = "system.posix_acl_access";
    public const string DefaultXattr = "system.posix_acl_default";

    private const uint XattrVersion = 2;
    private const int HeaderLength = 4;
    private const int EntryLength = 8;
    private const uint UndefinedId = uint.MaxValue;

    // e_tag values (posix_acl.h); their numeric order is the order the kernel requires the entries in.
    private const ushort UserObj = 0x01;
    private const ushort User = 0x02;
    private const ushort GroupObj = 0x04;
    private const ushort Group = 0x08;
    private const ushort Mask = 0x10;
    private const ushort Other = 0x20;

    private readonly record struct Entry(ushort Tag, ushort Perm, uint Id);

    /// <summary>The pax keyword that carries the text form of an ACL xattr, or null for any other xattr.</summary>
    public static string? TextKeyword(string xattrName) => xattrName switch
    {
        AccessXattr => PaxKeywords.SchilyAclAccess,
        DefaultXattr => PaxKeywords.SchilyAclDefault,
        _ => null,
    };

    /// <summary>
    /// The text form with numeric qualifiers ("user::rw-,user:1000:r--,group::r--,mask::r--,other::r--"): numbers
    /// because the archive restores ownership by number, and libacl's acl_from_text (GNU tar) and libarchive both
    /// take a numeric qualifier as the id. Throws <see cref="ArgumentException"/> on a malformed xattr value.
    /// </summary>
    public static string ToText(ReadOnlySpan<byte> xattr, string xattrName)
    {
        if (xattr.Length < HeaderLength || (xattr.Length - HeaderLength) % EntryLength != 0
            || BinaryPrimitives.ReadUInt32LittleEndian(xattr) != XattrVersion)
            throw new ArgumentException($"The {xattrName} xattr value is not a version 2 Linux ACL ({xattr.Length} bytes).");
        var text = new StringBuilder();
        for (int at = HeaderLength; at < xattr.Length; at += EntryLength)
        {
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(xattr[at..]);
            var perm = BinaryPrimitives.ReadUInt16LittleEndian(xattr[(at + 2)..]);
            var id = BinaryPrimitives.ReadUInt32LittleEndian(xattr[(at + 4)..]);
            if (text.Length > 0) text.Append(',');
            text.Append(tag switch
            {
                UserObj => "user::",
                User => $"user:{id}:",
                GroupObj => "group::",
                Group => $"group:{id}:",
                Mask => "mask::",
                Other => "other::",
                _ => throw new ArgumentException($"The {xattrName} xattr has an unknown ACL tag 0x{tag:x}."),
            });
            text.Append((perm & 4) != 0 ? 'r' : '-').Append((perm & 2) != 0 ? 'w' : '-').Append((perm & 1) != 0 ? 'x' : '-');
        }
        return text.ToString();
    }

    /// <summary>
    /// Parses the text form GNU tar writes (entries separated by newlines, named qualifiers), libarchive writes (commas,
    /// "user:name:perms:id" with the id appended) or <see cref="ToText"/> writes, into the binary xattr with entries in
    /// the kernel's order. A named qualifier without a number goes through <paramref name="resolveName"/> (name,
    /// isGroup); null or an unknown name is an <see cref="InvalidDataException"/>. Returns null for an access ACL of
    /// only the three base entries: it says no more than the mode bits, and the kernel never stores one as an xattr
    /// (GNU tar writes such an ACL for every file).
    /// </summary>
    public static byte[]? FromText(string text, bool isAccessAcl, Func<string, bool, uint?>? resolveName, string where)
    {
        var entries = new List<Entry>();
        foreach (var raw in text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var hash = raw.IndexOf('#');
            var item = hash >= 0 ? raw[..hash].Trim() : raw;
            if (item.Length == 0) continue;
            var fields = item.Split(':');
            if (fields.Length is < 3 or > 4)
                throw new InvalidDataException($"{where}: ACL entry '{item}' is not tag:qualifier:perms.");
            ushort tag = (fields[0], fields[1].Length == 0) switch
            {
                ("user" or "u", true) => UserObj,
                ("user" or "u", false) => User,
                ("group" or "g", true) => GroupObj,
                ("group" or "g", false) => Group,
                ("mask" or "m", _) => Mask,
                ("other" or "o", _) => Other,
                _ => throw new InvalidDataException($"{where}: ACL entry '{item}' has an unknown tag."),
            };
            uint id = UndefinedId;
            if (tag is User or Group)
            {
                var number = fields.Length == 4 ? fields[3] : fields[1];
                if (!uint.TryParse(number, out id))
                {
                    id = resolveName?.Invoke(fields[1], tag == Group)
                         ?? throw new InvalidDataException(
                             $"{where}: ACL entry '{item}' names {(tag == Group ? "group" : "user")} '{fields[1]}' without its number, and no name resolver is set (PaxReader.ResolveAclName).");
                }
            }
            entries.Add(new Entry(tag, ParsePerms(fields[2], item, where), id));
        }
        entries.Sort((a, b) => a.Tag != b.Tag ? a.Tag.CompareTo(b.Tag) : a.Id.CompareTo(b.Id));
        if (isAccessAcl && entries.All(e => e.Tag is UserObj or GroupObj or Other)) return null;

        var xattr = new byte[HeaderLength + EntryLength * entries.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(xattr, XattrVersion);
        for (int i = 0; i < entries.Count; i++)
        {
            var at = xattr.AsSpan(HeaderLength + EntryLength * i);
            BinaryPrimitives.WriteUInt16LittleEndian(at, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], entries[i].Perm);
            BinaryPrimitives.WriteUInt32LittleEndian(at[4..], entries[i].Id);
        }
        return xattr;
    }

    private static ushort ParsePerms(string perms, string item, string where)
    {
        if (perms.Length is 0 or > 3) throw new InvalidDataException($"{where}: ACL entry '{item}' has bad permissions '{perms}'.");
        ushort value = 0;
        foreach (var c in perms)
        {
            value |= c switch
            {
                'r' => (ushort)4,
                'w' => (ushort)2,
                'x' => (ushort)1,
                '-' => (ushort)0,
                _ => throw new InvalidDataException($"{where}: ACL entry '{item}' has bad permissions '{perms}'."),
            };
        }
        return value;
    }
}
