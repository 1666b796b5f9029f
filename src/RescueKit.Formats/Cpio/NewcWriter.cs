using System.Text;

namespace RescueKit.Formats.Cpio;

/// <summary>
/// Writes a Linux initramfs "newc" cpio archive (formats.md §11) member by member, in call order. The caller lists
/// parents before children (see <see cref="NewcNames.SortParentsFirst"/>), because the kernel does not create
/// missing directories. Alignment is counted from where this writer started, which must be a 4-byte boundary of the
/// decompressed stream (true when it starts a file, or writes into a fresh <c>GZipStream</c>).
/// </summary>
public sealed class NewcWriter : IDisposable
{
    private const int CopyBufferSize = 64 * 1024;
    private static readonly byte[] Zeros = new byte[NewcLayout.Alignment];

    private readonly ArchiveOutput _output;
    private uint _nextIno = 1;

    public NewcWriter(Stream output, bool leaveOpen = false)
    {
        _output = new ArchiveOutput(output, leaveOpen);
    }

    /// <summary>Bytes written so far (uncompressed, as this writer sees them).</summary>
    public long BytesWritten => _output.BytesWritten;

    /// <summary>A directory; nlink 2 as GNU cpio and mknewc.py write it.</summary>
    public void AddDirectory(string name, int permissions, long mtime, int uid = 0, int gid = 0)
    {
        var member = Validate(name, permissions, mtime, uid, gid);
        WriteMember(member, NewcLayout.TypeDirectory, nlink: 2, ReserveIno(), fileSize: 0);
    }

    /// <summary>A regular file whose <paramref name="length"/> bytes are copied from <paramref name="content"/>
    /// in chunks, never buffered whole.</summary>
    public void AddFile(string name, int permissions, long mtime, Stream content, long length, int uid = 0, int gid = 0)
    {
        var member = Validate(name, permissions, mtime, uid, gid);
        ValidateContent(content, length);
        WriteMember(member, NewcLayout.TypeRegular, nlink: 1, ReserveIno(), (uint)length);
        CopyData(content, length);
    }

    /// <summary>A regular file with in-memory content.</summary>
    public void AddFile(string name, int permissions, long mtime, ReadOnlySpan<byte> content, int uid = 0, int gid = 0)
    {
        var member = Validate(name, permissions, mtime, uid, gid);
        CheckLength(content.Length, nameof(content));
        WriteMember(member, NewcLayout.TypeRegular, nlink: 1, ReserveIno(), (uint)content.Length);
        Write(content);
        Write(Zeros.AsSpan(0, (int)NewcLayout.PadTo4(content.Length)));
    }

    /// <summary>A symbolic link; its data is the target without a NUL, and the kernel rejects an empty one.</summary>
    public void AddSymlink(string name, string target, long mtime, int uid = 0, int gid = 0)
    {
        // Symlink permissions are ignored by Linux; 0777 is what lstat reports and what GNU cpio stores.
        var member = Validate(name, 0x1FF, mtime, uid, gid);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Length == 0) throw new ArgumentException($"The symlink '{member.Name}' has an empty target.", nameof(target));
        if (target.Contains('\0')) throw new ArgumentException($"The symlink '{member.Name}' target contains a NUL character.", nameof(target));
        var bytes = Encoding.UTF8.GetBytes(target);
        if (bytes.Length > NewcLayout.MaxNameBytes)
            throw new ArgumentException($"The symlink target is {bytes.Length} bytes; the limit is {NewcLayout.MaxNameBytes}.", nameof(target));
        WriteMember(member, NewcLayout.TypeSymlink, nlink: 1, ReserveIno(), (uint)bytes.Length);
        Write(bytes);
        Write(Zeros.AsSpan(0, (int)NewcLayout.PadTo4(bytes.Length)));
    }

    /// <summary>A character or block device node (e.g. dev/console = char 5,1).</summary>
    public void AddDevice(string name, bool isBlockDevice, int permissions, int major, int minor, long mtime, int uid = 0, int gid = 0)
    {
        var member = Validate(name, permissions, mtime, uid, gid);
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        var type = isBlockDevice ? NewcLayout.TypeBlockDevice : NewcLayout.TypeCharDevice;
        WriteMember(member, type, nlink: 1, ReserveIno(), fileSize: 0, (uint)major, (uint)minor);
    }

    /// <summary>
    /// One regular file under several names: one inode, nlink = the number of names. Earlier names have size 0 and
    /// the last carries the data (the GNU cpio convention; the kernel links names with the same inode and nlink ≥ 2).
    /// </summary>
    public void AddHardLinks(IReadOnlyList<string> names, int permissions, long mtime, Stream content, long length, int uid = 0, int gid = 0)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0) throw new ArgumentException("A hard-link group needs at least one name.", nameof(names));
        var members = names.Select(n => Validate(n, permissions, mtime, uid, gid, nameof(names))).ToList();
        if (members.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != members.Count)
            throw new ArgumentException("A hard-link group lists the same name twice.", nameof(names));
        ValidateContent(content, length);

        var ino = ReserveIno();
        for (int i = 0; i < members.Count; i++)
        {
            bool last = i == members.Count - 1;
            WriteMember(members[i], NewcLayout.TypeRegular, (uint)members.Count, ino, last ? (uint)length : 0);
        }
        CopyData(content, length);
    }

    /// <summary>Writes the <c>TRAILER!!!</c> member (all zero but nlink 1, as GNU cpio writes it). No 512-byte padding.</summary>
    public void Finish()
    {
        ThrowIfUnusable();
        WriteHeaderAndName(new NewcHeader(0, 0, 0, 0, NLink: 1, 0, 0, 0, 0, 0), NewcLayout.TrailerName);
        _output.MarkFinished();
    }

    /// <summary>Finishes the archive if that was not done (and no earlier write failed), then closes the output unless leaveOpen.</summary>
    public void Dispose() => _output.Dispose(Finish);

    /// <summary>The metadata every member carries, validated.</summary>
    private readonly record struct Member(string Name, uint Permissions, uint MTime, uint Uid, uint Gid);

    private Member Validate(string name, int permissions, long mtime, int uid, int gid, string nameParam = "name")
    {
        ThrowIfUnusable();
        var stored = NewcNames.Normalize(name, nameParam);
        if (stored == NewcLayout.TrailerName)
            throw new ArgumentException($"'{NewcLayout.TrailerName}' is reserved for the end-of-archive marker.", nameParam);
        if (permissions is < 0 or > NewcLayout.PermissionMask)
            throw new ArgumentOutOfRangeException(nameof(permissions), permissions, "Permissions must be within 0..07777.");
        if (mtime is < 0 or > uint.MaxValue)
            throw new ArgumentException($"mtime {mtime} does not fit the newc c_mtime field (u32 Unix seconds, 0..{uint.MaxValue}).", nameof(mtime));
        ArgumentOutOfRangeException.ThrowIfNegative(uid);
        ArgumentOutOfRangeException.ThrowIfNegative(gid);
        return new Member(stored, (uint)permissions, (uint)mtime, (uint)uid, (uint)gid);
    }

    private static void ValidateContent(Stream content, long length)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckLength(length, nameof(length));
        if (!content.CanRead) throw new ArgumentException("The content stream is not readable.", nameof(content));
        if (content.CanSeek && content.Length - content.Position < length)
            throw new ArgumentException(
                $"The content stream has {content.Length - content.Position} bytes left but length is {length}.", nameof(content));
    }

    private static void CheckLength(long length, string paramName)
    {
        if (length is < 0 or > uint.MaxValue)
            throw new ArgumentException($"File length {length} does not fit the newc c_filesize field (0..{uint.MaxValue}).", paramName);
    }

    private uint ReserveIno() => _nextIno++;

    private void WriteMember(Member m, int type, uint nlink, uint ino, uint fileSize, uint rdevMajor = 0, uint rdevMinor = 0) =>
        WriteHeaderAndName(
            new NewcHeader(ino, (uint)type | m.Permissions, m.Uid, m.Gid, nlink, m.MTime, fileSize, rdevMajor, rdevMinor, 0),
            m.Name);

    private void WriteHeaderAndName(NewcHeader header, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        header = header with { NameSize = (uint)nameBytes.Length + 1 };

        // Header + name + NUL, then zeros so the data starts 4-aligned (formats.md §11: 110 + namesize rounded up).
        int headerAndName = NewcLayout.HeaderSize + nameBytes.Length + 1;
        int total = headerAndName + (int)NewcLayout.PadTo4(headerAndName);
        Span<byte> buffer = total <= 1024 ? stackalloc byte[total] : new byte[total];
        buffer.Clear();
        header.WriteTo(buffer);
        nameBytes.CopyTo(buffer[NewcLayout.HeaderSize..]);
        Write(buffer);
    }

    private void CopyData(Stream content, long length)
    {
        var buffer = new byte[(int)Math.Min(CopyBufferSize, Math.Max(length, 1))];
        long remaining = length;
        while (remaining > 0)
        {
            int read = content.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                _output.Fault();
                throw new ArgumentException(
                    $"The content stream ended after {length - remaining} of the {length} bytes promised; the archive is incomplete.",
                    nameof(content));
            }
            Write(buffer.AsSpan(0, read));
            remaining -= read;
        }
        Write(Zeros.AsSpan(0, (int)NewcLayout.PadTo4(length)));
    }

    private void Write(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    private void ThrowIfUnusable() => _output.ThrowIfUnusable(this);
}
