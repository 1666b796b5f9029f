using System.Text;

namespace RescueKit.Formats.Tar;

/// <summary>
/// Writes a POSIX.1-2001 pax archive (POSIX.1-2017, pax "pax Interchange Format") member by member, in call order. Each
/// member is a ustar header, preceded by an 'x' extended header whenever a value does not fit ustar: a long,
/// non-ASCII or unsplittable path or link path, a size of 8 GiB or more, a uid or gid over 07777777, nanoseconds in
/// the mtime, raw bytes that are not UTF-8 (hdrcharset=BINARY), extended attributes (SCHILY.xattr.NAME), POSIX ACLs
/// (SCHILY.acl.access/default as well) and sparse files (GNU sparse format 1.0). Output depends only on the entries:
/// the same entries give the same bytes. Data is copied in chunks, never held whole.
/// </summary>
public sealed class PaxWriter : IDisposable
{
    // Large enough that file data reaches the output in few, large writes (a compressor behind it takes whole MiBs).
    private const int CopyBufferSize = 1024 * 1024;
    private const uint MaxMode = 0xFFF; // 07777
    private static readonly byte[] ZeroBlock = new byte[UstarLayout.BlockSize];

    private readonly ArchiveOutput _output;
    private byte[]? _copyBuffer;

    public PaxWriter(Stream output, bool leaveOpen = false)
    {
        _output = new ArchiveOutput(output, leaveOpen);
    }

    /// <summary>Bytes written to the output so far.</summary>
    public long BytesWritten => _output.BytesWritten;

    /// <summary>
    /// Writes one member. <paramref name="data"/> gives exactly <see cref="TarEntry.Size"/> bytes for a regular file,
    /// or for a sparse one (<see cref="TarEntry.SparseMap"/> set) its segments' bytes one after the other; it is null
    /// for every other type. Throws <see cref="ArgumentException"/> before writing anything when the entry cannot be
    /// archived, and <see cref="TarDataLengthException"/> after completing the member when the stream gave fewer or more
    /// bytes than declared.
    /// </summary>
    public void WriteEntry(TarEntry entry, Stream? data = null)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(entry);
        long dataLength = Validate(entry, data);
        var member = PaxMember.Plan(entry);

        Span<byte> block = stackalloc byte[UstarLayout.BlockSize];
        if (member.Records.Count > 0)
        {
            var records = PaxRecord.Encode(member.Records);
            new UstarHeader
            {
                Name = member.ExtendedHeaderName,
                Mode = 0x1A4, // 0644, as GNU tar writes its 'x' headers
                Size = records.Length,
                Mtime = member.Header.Mtime,
                Typeflag = UstarLayout.TypeflagPaxExtended,
            }.WriteTo(block);
            Write(block);
            Write(records);
            Write(ZeroBlock.AsSpan(0, UstarLayout.PaddingAfter(records.Length)));
        }
        member.Header.WriteTo(block);
        Write(block);
        if (member.SparseMapBlock is not null) Write(member.SparseMapBlock);
        if (data is not null) CopyData(entry.Path, data, dataLength, member.Header.Size);
    }

    /// <summary>Writes the end of the archive: two zero blocks (POSIX: "two consecutive blocks of binary zeros").</summary>
    public void Finish()
    {
        ThrowIfUnusable();
        Write(ZeroBlock);
        Write(ZeroBlock);
        _output.MarkFinished();
    }

    /// <summary>Finishes the archive if that was not done (and no earlier write failed), then closes the output unless leaveOpen.</summary>
    public void Dispose() => _output.Dispose(Finish);

    /// <summary>Checks the entry against what the format and the contract allow; returns the data bytes expected.</summary>
    private static long Validate(TarEntry entry, Stream? data)
    {
        const string Param = "entry";
        var path = entry.Path ?? throw new ArgumentException("The entry has no path.", Param);
        if (path.Length == 0) throw new ArgumentException("The entry path is empty.", Param);
        if (path[0] == '/') throw new ArgumentException($"The entry path '{Show(path)}' is absolute; archive paths are relative.", Param);
        if (path.AsSpan().Contains((byte)0)) throw new ArgumentException($"The entry path '{Show(path)}' contains a NUL byte.", Param);
        if (!Enum.IsDefined(entry.Type)) throw new ArgumentException($"Entry '{Show(path)}' has an unknown type {(byte)entry.Type}.", Param);
        if (entry.Mode > MaxMode)
            throw new ArgumentException($"Entry '{Show(path)}' mode {Convert.ToString(entry.Mode, 8)} has bits beyond 07777 (the type goes in Type).", Param);
        if (entry.DeviceMajor > UstarLayout.MaxOctal(UstarLayout.DevmajorLength) || entry.DeviceMinor > UstarLayout.MaxOctal(UstarLayout.DevminorLength))
            throw new ArgumentException($"Entry '{Show(path)}' device {entry.DeviceMajor},{entry.DeviceMinor} does not fit the ustar devmajor/devminor fields.", Param);
        if (entry.UserName?.Contains('\0') == true || entry.GroupName?.Contains('\0') == true)
            throw new ArgumentException($"Entry '{Show(path)}' owner name contains a NUL.", Param);

        bool isLink = entry.Type is TarEntryType.Symlink or TarEntryType.HardLink;
        if (isLink && (entry.LinkName is null || entry.LinkName.Length == 0))
            throw new ArgumentException($"The {entry.Type} '{Show(path)}' has no link name.", Param);
        if (!isLink && entry.LinkName is not null)
            throw new ArgumentException($"Entry '{Show(path)}' is a {entry.Type} and cannot have a link name.", Param);
        if (entry.LinkName?.AsSpan().Contains((byte)0) == true)
            throw new ArgumentException($"Entry '{Show(path)}' link name contains a NUL byte.", Param);

        var names = entry.Xattrs.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var x in entry.Xattrs)
        {
            if (string.IsNullOrEmpty(x.Name) || x.Name.Contains('\0') || names?.Add(x.Name) == false)
                throw new ArgumentException($"Entry '{Show(path)}' has an empty, NUL-containing or repeated xattr name '{x.Name}'.", Param);
            ArgumentNullException.ThrowIfNull(x.Value, Param);
        }

        if (entry.Type != TarEntryType.Regular)
        {
            if (entry.Size != 0) throw new ArgumentException($"The {entry.Type} '{Show(path)}' has size {entry.Size}; only regular files have data.", Param);
            if (entry.SparseMap is not null) throw new ArgumentException($"The {entry.Type} '{Show(path)}' has a sparse map.", Param);
            if (data is not null) throw new ArgumentException($"The {entry.Type} '{Show(path)}' was given a data stream.", nameof(data));
            return 0;
        }
        if (entry.Size < 0) throw new ArgumentException($"Entry '{Show(path)}' has a negative size.", Param);
        long dataLength = entry.Size;
        if (entry.SparseMap is not null)
        {
            GnuSparseMap.Validate(entry.SparseMap, entry.Size, Param);
            dataLength = entry.SparseMap.Sum(s => s.Length);
        }
        if (data is null && dataLength > 0)
            throw new ArgumentException($"The regular file '{Show(path)}' of {dataLength} data bytes was given no data stream.", nameof(data));
        if (data is not null && !data.CanRead) throw new ArgumentException("The data stream is not readable.", nameof(data));
        return dataLength;
    }

    /// <summary>
    /// Copies exactly <paramref name="expected"/> bytes, then the padding to the end of the member
    /// (<paramref name="storedSize"/> counts a sparse map block before the data). A short stream is zero-filled and a
    /// long one cut, so the archive stays well-formed, before the <see cref="TarDataLengthException"/>.
    /// </summary>
    private void CopyData(byte[] path, Stream data, long expected, long storedSize)
    {
        var buffer = _copyBuffer ??= new byte[CopyBufferSize];
        long remaining = expected;
        while (remaining > 0)
        {
            int read = data.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0) break;
            Write(buffer.AsSpan(0, read));
            remaining -= read;
        }
        long copied = expected - remaining;
        for (; remaining > 0; remaining -= Math.Min(remaining, ZeroBlock.Length))
            Write(ZeroBlock.AsSpan(0, (int)Math.Min(remaining, ZeroBlock.Length)));
        Write(ZeroBlock.AsSpan(0, UstarLayout.PaddingAfter(storedSize)));

        if (copied < expected) throw new TarDataLengthException(path, expected, grew: false, copied);
        if (data.Read(buffer, 0, 1) > 0) throw new TarDataLengthException(path, expected, grew: true, expected);
    }

    private void Write(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    private void ThrowIfUnusable() => _output.ThrowIfUnusable(this);

    private static string Show(byte[] path) => Encoding.UTF8.GetString(path);
}
