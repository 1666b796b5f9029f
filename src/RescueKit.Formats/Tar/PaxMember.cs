using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace RescueKit.Formats.Tar;

/// <summary>
/// How one <see cref="TarEntry"/> is laid out as a pax member: its ustar header, the extended header records for what
/// ustar cannot hold, and for a sparse file the GNU 1.0 map block that starts its data.
/// </summary>
internal sealed class PaxMember
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    public required UstarHeader Header { get; init; }
    public required List<PaxRecord> Records { get; init; }
    public required byte[] ExtendedHeaderName { get; init; }
    public byte[]? SparseMapBlock { get; init; }

    public static PaxMember Plan(TarEntry entry)
    {
        var records = new List<PaxRecord>();
        // A directory's name ends in '/' in the archive, as GNU tar and bsdtar write it.
        byte[] path = entry.Type == TarEntryType.Directory && entry.Path[^1] != '/' ? [.. entry.Path, (byte)'/'] : entry.Path;
        byte[] link = entry.LinkName ?? [];

        // pax "hdrcharset": values are UTF-8 unless the header says BINARY, which raw Linux names need.
        if (!Utf8.IsValid(path) || !Utf8.IsValid(link))
            records.Add(new PaxRecord(PaxKeywords.Hdrcharset, PaxKeywords.HdrcharsetBinary.ToArray()));

        byte[]? sparseMapBlock = null;
        long storedSize = entry.Size;
        byte[] headerPath = path;
        if (entry.SparseMap is { } map)
        {
            // GNU sparse 1.0: the real name goes in GNU.sparse.name; the ustar name is DIR/GNUSparseFile.%p/NAME with
            // %p (GNU tar's process id) fixed at 0 so the output is reproducible, as bsdtar does.
            records.Add(new PaxRecord(PaxKeywords.GnuSparseMajor, "1"));
            records.Add(new PaxRecord(PaxKeywords.GnuSparseMinor, "0"));
            records.Add(new PaxRecord(PaxKeywords.GnuSparseName, path));
            records.Add(new PaxRecord(PaxKeywords.GnuSparseRealsize, entry.Size.ToString(CultureInfo.InvariantCulture)));
            sparseMapBlock = GnuSparseMap.Encode(map, entry.Size);
            storedSize = sparseMapBlock.Length + map.Sum(s => s.Length);
            headerPath = InDirectory(path, "GNUSparseFile.0");
        }

        var (prefix, name) = SplitUstarName(headerPath);
        if (name is null)
        {
            if (entry.SparseMap is null) records.Add(new PaxRecord(PaxKeywords.Path, path));
            (prefix, name) = ([], Truncate(headerPath, UstarLayout.NameLength));
        }
        byte[] linkname = link;
        if (!IsPortable(link) || link.Length > UstarLayout.LinknameLength)
        {
            records.Add(new PaxRecord(PaxKeywords.Linkpath, link));
            linkname = Truncate(link, UstarLayout.LinknameLength);
        }

        long size = FitOctal(storedSize, UstarLayout.SizeLength, PaxKeywords.Size, records);
        long uid = FitOctal(entry.Uid, UstarLayout.UidLength, PaxKeywords.Uid, records);
        long gid = FitOctal(entry.Gid, UstarLayout.GidLength, PaxKeywords.Gid, records);
        byte[] uname = FitName(entry.UserName, PaxKeywords.Uname, records);
        byte[] gname = FitName(entry.GroupName, PaxKeywords.Gname, records);

        long seconds = Math.DivRem(entry.MtimeNanoseconds, NanosecondsPerSecond, out long nanos);
        if (nanos < 0) (seconds, nanos) = (seconds - 1, nanos + NanosecondsPerSecond);
        long maxTime = UstarLayout.MaxOctal(UstarLayout.MtimeLength);
        if (nanos != 0 || seconds < 0 || seconds > maxTime)
            records.Add(new PaxRecord(PaxKeywords.Mtime, FormatTime(entry.MtimeNanoseconds)));

        AddXattrRecords(entry.Xattrs, records);

        return new PaxMember
        {
            Header = new UstarHeader
            {
                Name = name,
                Mode = entry.Mode,
                Uid = uid,
                Gid = gid,
                Size = size,
                Mtime = Math.Clamp(seconds, 0, maxTime),
                Typeflag = (byte)entry.Type,
                Linkname = linkname,
                Uname = uname,
                Gname = gname,
                Devmajor = entry.DeviceMajor,
                Devminor = entry.DeviceMinor,
                Prefix = prefix,
            },
            Records = records,
            ExtendedHeaderName = Truncate(InDirectory(path, "PaxHeaders"), UstarLayout.NameLength),
            SparseMapBlock = sparseMapBlock,
        };
    }

    /// <summary>
    /// Splits a path into ustar prefix and name (POSIX ustar: the name is prefix + "/" + name when prefix is not
    /// empty), or returns a null name when it cannot be stored portably: non-ASCII bytes, or no '/' that leaves at
    /// most 155 bytes before and 1..100 after it. The shortest prefix that works is chosen.
    /// </summary>
    internal static (byte[] Prefix, byte[]? Name) SplitUstarName(byte[] path)
    {
        if (!IsPortable(path)) return ([], null);
        if (path.Length <= UstarLayout.NameLength) return ([], path);
        // A trailing '/' (directories) belongs to the name part.
        for (int i = path.Length - UstarLayout.NameLength - 1; i <= UstarLayout.PrefixLength && i < path.Length - 1; i++)
        {
            if (i > 0 && path[i] == '/') return (path[..i], path[(i + 1)..]);
        }
        return ([], null);
    }

    /// <summary>
    /// The POSIX default for a pax 'x' header name is "%d/PaxHeaders.%p/%f"; GNU tar 1.34 writes "%d/PaxHeaders/%f".
    /// This gives DIR/<paramref name="directory"/>/NAME ("." for DIR at the top).
    /// </summary>
    internal static byte[] InDirectory(byte[] path, string directory)
    {
        var trimmed = path.AsSpan().TrimEnd((byte)'/');
        int slash = trimmed.LastIndexOf((byte)'/');
        var dir = slash < 0 ? "."u8 : trimmed[..slash];
        var file = trimmed[(slash + 1)..];
        return [.. dir, (byte)'/', .. Encoding.ASCII.GetBytes(directory), (byte)'/', .. file];
    }

    /// <summary>pax mtime: decimal seconds, with a '.' and nine digits of nanoseconds when there are any.</summary>
    internal static string FormatTime(long nanoseconds)
    {
        // Seconds and fraction of the magnitude, so -1.25 s is "-1.250000000" (not floor-based "-2.75...").
        var seconds = Math.DivRem(nanoseconds, NanosecondsPerSecond, out long fraction);
        var sign = nanoseconds < 0 ? "-" : "";
        seconds = Math.Abs(seconds);
        fraction = Math.Abs(fraction);
        return fraction == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds}")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds}.{fraction:D9}");
    }

    /// <summary>
    /// xattrs go in SCHILY.xattr.NAME records with their raw bytes (GNU tar --xattrs, libarchive). ACL xattrs also get
    /// their text form in SCHILY.acl.access/default, which is what GNU tar --acls applies and what libarchive reads:
    /// GNU tar 1.34 writes both forms the same way. A '%' or '=' in a name is written %25 / %3D, as GNU tar does,
    /// since the keyword ends at the first '=' (libarchive 3.6 writes the same, but reading does not undo it).
    /// </summary>
    private static void AddXattrRecords(IReadOnlyList<TarXattr> xattrs, List<PaxRecord> records)
    {
        foreach (var x in xattrs)
        {
            if (PosixAcl.TextKeyword(x.Name) is { } keyword)
                records.Add(new PaxRecord(keyword, PosixAcl.ToText(x.Value, x.Name)));
        }
        foreach (var x in xattrs)
            records.Add(new PaxRecord(PaxKeywords.SchilyXattrPrefix + EncodeXattrName(x.Name), x.Value));
    }

    internal static string EncodeXattrName(string name) => name.Replace("%", "%25").Replace("=", "%3D");

    private static long FitOctal(long value, int length, string keyword, List<PaxRecord> records)
    {
        if (value <= UstarLayout.MaxOctal(length)) return value;
        records.Add(new PaxRecord(keyword, value.ToString(CultureInfo.InvariantCulture)));
        return 0;
    }

    /// <summary>uname/gname: ASCII of at most 31 bytes fits the NUL-terminated field; anything else goes in a record.</summary>
    private static byte[] FitName(string? value, string keyword, List<PaxRecord> records)
    {
        if (string.IsNullOrEmpty(value)) return [];
        var bytes = Encoding.UTF8.GetBytes(value);
        if (IsPortable(bytes) && bytes.Length < UstarLayout.UnameLength) return bytes;
        records.Add(new PaxRecord(keyword, bytes));
        return [];
    }

    /// <summary>Bytes every ustar reader takes as they are: ASCII without NUL.</summary>
    private static bool IsPortable(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExceptInRange((byte)1, (byte)0x7F);

    private static byte[] Truncate(byte[] bytes, int length) => bytes.Length <= length ? bytes : bytes[..length];
}
