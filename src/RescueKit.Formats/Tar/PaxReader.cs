using System.Text;

namespace RescueKit.Formats.Tar;

/// <summary>
/// Reads a tar archive sequentially: POSIX ustar with pax 'x' and 'g' extended headers (POSIX.1-2017 pax), GNU
/// sparse files in pax (formats 1.0 and 0.1), the SCHILY.xattr / LIBARCHIVE.xattr / SCHILY.acl records GNU tar and
/// bsdtar write, and GNU tar's default-format 'L'/'K' long names. Works on non-seekable input. Checksums are
/// verified; a truncated or corrupt archive raises <see cref="InvalidDataException"/> naming the byte offset.
/// </summary>
public sealed partial class PaxReader : IDisposable
{
    /// <summary>Extended headers and long names are read into memory; larger ones are treated as corruption.</summary>
    private const int MaxMetadataSize = 16 * 1024 * 1024;

    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly Dictionary<string, byte[]> _globals = new(StringComparer.Ordinal);
    private readonly byte[] _block = new byte[UstarLayout.BlockSize];
    private long _position;
    private long _remaining;
    private int _padding;
    private TarEntry? _current;
    private bool _ended;
    private bool _disposed;

    public PaxReader(Stream input, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.CanRead) throw new ArgumentException("The input stream is not readable.", nameof(input));
        _input = input;
        _leaveOpen = leaveOpen;
    }

    /// <summary>
    /// Maps a user (isGroup false) or group name in an ACL text record that carries no number to its id, or returns
    /// null when unknown. Only needed for archives whose ACLs exist in text form alone (GNU tar --acls without
    /// --xattrs): GNU tar with --xattrs also stores the binary xattr, and bsdtar appends the id.
    /// </summary>
    public Func<string, bool, uint?>? ResolveAclName { get; init; }

    /// <summary>The next member, or null at the end-of-archive zero block. Unread data of the previous one is skipped.</summary>
    public TarEntry? ReadNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ended) return null;
        SkipData();
        _current = null;

        var local = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var order = new List<string>();
        byte[]? longName = null, longLink = null;
        while (true)
        {
            long offset = _position;
            if (!ReadBlock(allowEnd: true))
                throw new InvalidDataException($"tar archive ends at offset {offset} without the end-of-archive zero blocks (truncated?).");
            if (!_block.AsSpan().ContainsAnyExcept((byte)0))
            {
                if (local.Count > 0 || longName is not null || longLink is not null)
                    throw new InvalidDataException($"tar archive at offset {offset}: end-of-archive block right after an extended header.");
                // POSIX ends an archive with two zero blocks. A zero block followed by a header is a damaged
                // header, not the end: stopping there would silently drop the rest of the archive.
                if (ReadBlock(allowEnd: true) && _block.AsSpan().ContainsAnyExcept((byte)0))
                    throw new InvalidDataException($"tar archive at offset {offset}: a zero block where a header belongs, with more archive after it (corrupt).");
                _ended = true;
                return null;
            }
            var header = UstarHeader.ReadFrom(_block, offset);
            if (header.Size < 0) throw new InvalidDataException($"tar header at offset {offset}: negative size.");
            switch (header.Typeflag)
            {
                case UstarLayout.TypeflagPaxExtended:
                    foreach (var r in PaxRecord.Decode(ReadMetadata(header.Size, offset), offset + UstarLayout.BlockSize))
                    {
                        if (!local.ContainsKey(r.Keyword)) order.Add(r.Keyword);
                        local[r.Keyword] = r.Value;
                    }
                    break;
                case UstarLayout.TypeflagPaxGlobal:
                    foreach (var r in PaxRecord.Decode(ReadMetadata(header.Size, offset), offset + UstarLayout.BlockSize))
                        _globals[r.Keyword] = r.Value;
                    break;
                case UstarLayout.TypeflagGnuLongName:
                    longName = TrimAtNul(ReadMetadata(header.Size, offset));
                    break;
                case UstarLayout.TypeflagGnuLongLink:
                    longLink = TrimAtNul(ReadMetadata(header.Size, offset));
                    break;
                default:
                    _current = BuildEntry(header, offset, new PaxAttributes(_globals, local, order), longName, longLink);
                    return _current;
            }
        }
    }

    /// <summary>
    /// The current member's stored data from where reading stopped: a regular file's bytes, or for a sparse member
    /// its segments one after the other (place them with <see cref="TarEntry.SparseMap"/>). Valid until the next
    /// <see cref="ReadNext"/>.
    /// </summary>
    public Stream OpenData()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var entry = _current ?? throw new InvalidOperationException("No current member: call ReadNext first.");
        return new MemberDataStream(this, entry);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) _input.Dispose();
    }

    private TarEntry BuildEntry(UstarHeader header, long offset, PaxAttributes pax, byte[]? longName, byte[]? longLink)
    {
        string where = $"tar member at offset {offset}";
        // Names and link names are kept as raw bytes, so hdrcharset=BINARY needs no handling: it only says that
        // they need not be UTF-8.
        var type = header.Typeflag switch
        {
            UstarLayout.TypeflagRegularOld or UstarLayout.TypeflagContiguous => TarEntryType.Regular,
            >= (byte)TarEntryType.Regular and <= (byte)TarEntryType.Fifo => (TarEntryType)header.Typeflag,
            _ => throw new InvalidDataException(
                $"{where}: typeflag '{(char)header.Typeflag}' (0x{header.Typeflag:x2}) is not supported (GNU 'S' old sparse, 'D' dumpdir, 'V'/'M' volumes are not read)."),
        };

        byte[] path = pax.Get(PaxKeywords.GnuSparseName) ?? pax.Get(PaxKeywords.Path) ?? longName ?? header.JoinedName();
        if (path.Length == 0) throw new InvalidDataException($"{where}: empty member name.");
        // Pre-POSIX tars mark a directory only by the trailing '/' of a regular member's name.
        if (type == TarEntryType.Regular && path[^1] == '/' && pax.Get(PaxKeywords.GnuSparseName) is null) type = TarEntryType.Directory;
        var trimmed = path.AsSpan().TrimEnd((byte)'/');
        if (trimmed.Length > 0) path = trimmed.ToArray();

        long stored = pax.GetNumber(PaxKeywords.Size, where) ?? header.Size;
        _remaining = stored;
        _padding = UstarLayout.PaddingAfter(stored);

        var linkName = type is TarEntryType.Symlink or TarEntryType.HardLink
            ? pax.Get(PaxKeywords.Linkpath) ?? longLink ?? header.Linkname
            : null;
        if (linkName is { Length: 0 }) throw new InvalidDataException($"{where}: {type} without a link name.");

        IReadOnlyList<SparseSegment>? sparseMap = null;
        long size = type == TarEntryType.Regular ? stored : 0;
        if (type == TarEntryType.Regular && IsSparse(pax, where))
        {
            size = pax.GetNumber(PaxKeywords.GnuSparseRealsize, where) ?? pax.GetNumber(PaxKeywords.GnuSparseSize, where)
                   ?? throw new InvalidDataException($"{where}: GNU sparse member without GNU.sparse.realsize.");
            var map = pax.Get(PaxKeywords.GnuSparseMap) is { } map01 ? ParseSparseMap01(map01, where) : ReadSparseMap10(where);
            sparseMap = ValidateSparseMap(map, size, where);
        }

        return new TarEntry
        {
            Path = path,
            Type = type,
            Mode = header.Mode & 0xFFF,
            Uid = ToId(pax.GetNumber(PaxKeywords.Uid, where) ?? header.Uid, "uid", where),
            Gid = ToId(pax.GetNumber(PaxKeywords.Gid, where) ?? header.Gid, "gid", where),
            UserName = NameOrNull(pax.Get(PaxKeywords.Uname) ?? header.Uname),
            GroupName = NameOrNull(pax.Get(PaxKeywords.Gname) ?? header.Gname),
            Size = size,
            MtimeNanoseconds = pax.Get(PaxKeywords.Mtime) is { } mtime ? ParseTime(mtime, where) : header.Mtime * 1_000_000_000,
            LinkName = linkName,
            DeviceMajor = ToId(header.Devmajor, "devmajor", where),
            DeviceMinor = ToId(header.Devminor, "devminor", where),
            Xattrs = ReadXattrs(pax, where),
            SparseMap = sparseMap,
        };
    }

    private static byte[] TrimAtNul(byte[] data)
    {
        int end = Array.IndexOf(data, (byte)0);
        return end < 0 ? data : data[..end];
    }

    private static string? NameOrNull(byte[] name) => name.Length == 0 ? null : Encoding.UTF8.GetString(name);

    private static uint ToId(long value, string field, string where) =>
        value is >= 0 and <= uint.MaxValue ? (uint)value : throw new InvalidDataException($"{where}: {field} {value} is out of range.");
}
