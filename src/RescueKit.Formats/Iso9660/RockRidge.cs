using System.Text;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// SUSP 1.12 and RRIP 1.10 entries (formats.md §5), each returned as its complete bytes
/// <c>sig[2] len ver data</c>. RRIP 1.10 is what xorriso writes by default: 36-byte PX and ER "RRIP_1991A".
/// </summary>
internal static class RockRidge
{
    public const int HeaderLength = 4;
    public const int MaxEntryLength = 255;
    public const int CeLength = 28;

    /// <summary>Name bytes per NM entry; longer names continue in further NM entries (flag CONTINUE).</summary>
    private const int MaxNmChunk = MaxEntryLength - HeaderLength - 1;
    /// <summary>Component bytes per SL component record; longer components continue (component flag CONTINUE).</summary>
    private const int MaxSlComponent = MaxEntryLength - HeaderLength - 1 - 2;

    private const byte NmContinue = 0x01;
    private const byte SlContinue = 0x01;
    private const byte SlComponentContinue = 0x01, SlCurrent = 0x02, SlParent = 0x04, SlRoot = 0x08;
    /// <summary>TF flags: MODIFY | ACCESS | ATTRIBUTES, 7-byte stamps, as xorriso writes (0x0E).</summary>
    private const byte TfModifyAccessAttributes = 0x0E;

    public const string ErIdentifier = "RRIP_1991A";
    public const string ErDescriptor = "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS";
    public const string ErSource = "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";

    /// <summary>SP: must be the first entry of the root's "." record; announces SUSP with LEN_SKP 0.</summary>
    public static byte[] Sp() => Entry("SP"u8, [0xBE, 0xEF, 0]);

    /// <summary>ER for RRIP 1.10 (extension version 1); only in the root "." record.</summary>
    public static byte[] Er()
    {
        var id = Encoding.ASCII.GetBytes(ErIdentifier);
        var des = Encoding.ASCII.GetBytes(ErDescriptor);
        var src = Encoding.ASCII.GetBytes(ErSource);
        return Entry("ER"u8, [(byte)id.Length, (byte)des.Length, (byte)src.Length, 1, .. id, .. des, .. src]);
    }

    /// <summary>PX (RRIP 1.10 form, no inode number): st_mode including the type bits, nlink, uid, gid.</summary>
    public static byte[] Px(int mode, int nlink, int uid, int gid)
    {
        var data = new byte[32];
        IsoEncoding.WriteBothEndian32(data, (uint)mode);
        IsoEncoding.WriteBothEndian32(data.AsSpan(8), (uint)nlink);
        IsoEncoding.WriteBothEndian32(data.AsSpan(16), (uint)uid);
        IsoEncoding.WriteBothEndian32(data.AsSpan(24), (uint)gid);
        return Entry("PX"u8, data);
    }

    /// <summary>TF with modify, access and attribute-change times all set to the modification time.</summary>
    public static byte[] Tf(DateTimeOffset mtime)
    {
        var data = new byte[1 + 3 * 7];
        data[0] = TfModifyAccessAttributes;
        for (var i = 0; i < 3; i++) IsoEncoding.WriteDirectoryDate(data.AsSpan(1 + i * 7), mtime);
        return Entry("TF"u8, data);
    }

    /// <summary>
    /// PN: the device number split into high/low 32 bits of glibc's dev_t encoding, as xorriso writes it (1:3 → high 0,
    /// low 0x103). libarchive rebuilds dev_t from the halves; Linux decodes MKDEV(low &gt;&gt; 8, low &amp; 0xFF) when
    /// high is 0, which is right for minors below 256.
    /// </summary>
    public static byte[] Pn(int major, int minor)
    {
        var dev = ((ulong)(major & 0xFFF) << 8) | ((ulong)(major & ~0xFFF) << 32)
                  | (uint)(minor & 0xFF) | ((ulong)(minor & ~0xFF) << 12);
        var data = new byte[16];
        IsoEncoding.WriteBothEndian32(data, (uint)(dev >> 32));
        IsoEncoding.WriteBothEndian32(data.AsSpan(8), (uint)dev);
        return Entry("PN"u8, data);
    }

    /// <summary>NM entries for the real name, split into chunks with CONTINUE on all but the last.</summary>
    public static List<byte[]> Nm(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        var entries = new List<byte[]>();
        for (var at = 0; at < bytes.Length; at += MaxNmChunk)
        {
            var len = Math.Min(MaxNmChunk, bytes.Length - at);
            var flags = at + len < bytes.Length ? NmContinue : (byte)0;
            entries.Add(Entry("NM"u8, [flags, .. bytes.AsSpan(at, len)]));
        }
        return entries;
    }

    /// <summary>SL entries for a symlink target: component records (ROOT, CURRENT, PARENT or bytes) grouped into
    /// entries of at most 255 bytes, with the entry flag CONTINUE on all but the last.</summary>
    public static List<byte[]> Sl(string target)
    {
        var components = new List<byte[]>();
        if (target.StartsWith('/')) components.Add([SlRoot, 0]);
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") { components.Add([SlCurrent, 0]); continue; }
            if (part == "..") { components.Add([SlParent, 0]); continue; }
            var bytes = Encoding.UTF8.GetBytes(part);
            for (var at = 0; at < bytes.Length; at += MaxSlComponent)
            {
                var len = Math.Min(MaxSlComponent, bytes.Length - at);
                var flags = at + len < bytes.Length ? SlComponentContinue : (byte)0;
                components.Add([flags, (byte)len, .. bytes.AsSpan(at, len)]);
            }
        }

        var groups = new List<List<byte[]>> { new() };
        var used = 0;
        foreach (var c in components)
        {
            if (used + c.Length > MaxEntryLength - HeaderLength - 1) { groups.Add([]); used = 0; }
            groups[^1].Add(c);
            used += c.Length;
        }
        return groups.Select((g, i) =>
            Entry("SL"u8, [i < groups.Count - 1 ? SlContinue : (byte)0, .. g.SelectMany(c => c)])).ToList();
    }

    /// <summary>CE pointing at a continuation area: block LBA, byte offset in the block, length (all 733).</summary>
    public static byte[] Ce(uint lba, uint offset, uint length)
    {
        var data = new byte[24];
        IsoEncoding.WriteBothEndian32(data, lba);
        IsoEncoding.WriteBothEndian32(data.AsSpan(8), offset);
        IsoEncoding.WriteBothEndian32(data.AsSpan(16), length);
        return Entry("CE"u8, data);
    }

    private static byte[] Entry(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> data)
    {
        var e = new byte[HeaderLength + data.Length];
        signature.CopyTo(e);
        e[2] = (byte)e.Length;
        e[3] = 1; // SUSP/RRIP entry version
        data.CopyTo(e.AsSpan(HeaderLength));
        return e;
    }
}
