using System.Buffers.Text;

namespace RescueKit.Formats.Cpio;

/// <summary>The numeric fields of one newc header; <see cref="NewcLayout"/> says where each goes.</summary>
internal readonly record struct NewcHeader(
    uint Ino, uint Mode, uint Uid, uint Gid, uint NLink, uint MTime, uint FileSize,
    uint RDevMajor, uint RDevMinor, uint NameSize)
{
    /// <summary>Writes the 110 header bytes. c_devmajor/c_devminor (the containing filesystem) and c_check stay 0.</summary>
    public void WriteTo(Span<byte> buffer)
    {
        NewcLayout.MagicBytes.CopyTo(buffer[NewcLayout.Magic..]);
        WriteHex(buffer, NewcLayout.Ino, Ino);
        WriteHex(buffer, NewcLayout.Mode, Mode);
        WriteHex(buffer, NewcLayout.Uid, Uid);
        WriteHex(buffer, NewcLayout.Gid, Gid);
        WriteHex(buffer, NewcLayout.NLink, NLink);
        WriteHex(buffer, NewcLayout.MTime, MTime);
        WriteHex(buffer, NewcLayout.FileSize, FileSize);
        WriteHex(buffer, NewcLayout.DevMajor, 0);
        WriteHex(buffer, NewcLayout.DevMinor, 0);
        WriteHex(buffer, NewcLayout.RDevMajor, RDevMajor);
        WriteHex(buffer, NewcLayout.RDevMinor, RDevMinor);
        WriteHex(buffer, NewcLayout.NameSize, NameSize);
        WriteHex(buffer, NewcLayout.Check, 0);
    }

    /// <summary>Parses a header; throws <see cref="InvalidDataException"/> on a bad magic or a non-hex field.</summary>
    public static NewcHeader ReadFrom(ReadOnlySpan<byte> buffer)
    {
        if (!buffer[..NewcLayout.MagicLength].SequenceEqual(NewcLayout.MagicBytes))
            throw new InvalidDataException(
                $"Not a newc cpio header: magic is '{System.Text.Encoding.ASCII.GetString(buffer[..NewcLayout.MagicLength])}', expected '070701'.");
        return new NewcHeader(
            ReadHex(buffer, NewcLayout.Ino, "c_ino"), ReadHex(buffer, NewcLayout.Mode, "c_mode"),
            ReadHex(buffer, NewcLayout.Uid, "c_uid"), ReadHex(buffer, NewcLayout.Gid, "c_gid"),
            ReadHex(buffer, NewcLayout.NLink, "c_nlink"), ReadHex(buffer, NewcLayout.MTime, "c_mtime"),
            ReadHex(buffer, NewcLayout.FileSize, "c_filesize"), ReadHex(buffer, NewcLayout.RDevMajor, "c_rdevmajor"),
            ReadHex(buffer, NewcLayout.RDevMinor, "c_rdevminor"), ReadHex(buffer, NewcLayout.NameSize, "c_namesize"));
    }

    // Lower-case, zero-padded, 8 digits: what mknewc.py and GNU cpio write; the kernel accepts either case.
    private static void WriteHex(Span<byte> buffer, int offset, uint value)
    {
        var ok = Utf8Formatter.TryFormat(value, buffer.Slice(offset, NewcLayout.FieldLength), out var written,
            new System.Buffers.StandardFormat('x', NewcLayout.FieldLength));
        System.Diagnostics.Debug.Assert(ok && written == NewcLayout.FieldLength);
    }

    private static uint ReadHex(ReadOnlySpan<byte> buffer, int offset, string field)
    {
        var text = buffer.Slice(offset, NewcLayout.FieldLength);
        uint value = 0;
        foreach (var b in text)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => throw new InvalidDataException($"newc field {field} is not 8 hex digits."),
            };
            value = (value << 4) | (uint)digit;
        }
        return value;
    }
}
