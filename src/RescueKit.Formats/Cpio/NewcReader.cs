using System.Text;

namespace RescueKit.Formats.Cpio;

/// <summary>
/// Reads a newc archive sequentially up to its <c>TRAILER!!!</c> (formats.md §11). Works on non-seekable input such
/// as a <c>GZipStream</c>. Each member's data comes back whole, so this is meant for tests and small archives.
/// </summary>
internal sealed class NewcReader
{
    private readonly Stream _input;
    private long _position;

    public NewcReader(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
    }

    /// <summary>Every member before the trailer, in archive order, with its data (a symlink's data is its target).</summary>
    public IEnumerable<(NewcEntry Entry, byte[] Data)> ReadAll()
    {
        var headerBytes = new byte[NewcLayout.HeaderSize];
        while (true)
        {
            ReadExactly(headerBytes, "header");
            var header = NewcHeader.ReadFrom(headerBytes);
            if (header.NameSize is 0 or > NewcLayout.MaxNameBytes + 1)
                throw new InvalidDataException($"newc c_namesize {header.NameSize} at offset {_position - NewcLayout.HeaderSize} is out of range.");

            var nameBytes = new byte[header.NameSize];
            ReadExactly(nameBytes, "name");
            if (nameBytes[^1] != 0) throw new InvalidDataException("newc member name is not NUL-terminated.");
            var name = Encoding.UTF8.GetString(nameBytes, 0, nameBytes.Length - 1);
            Skip(NewcLayout.PadTo4(_position));
            if (name == NewcLayout.TrailerName) yield break;

            if (header.FileSize > Array.MaxLength)
                throw new NotSupportedException($"Member '{name}' is {header.FileSize} bytes, too large to return as one array.");
            var data = new byte[header.FileSize];
            ReadExactly(data, $"data of '{name}'");
            Skip(NewcLayout.PadTo4(_position));

            int mode = (int)header.Mode;
            bool isSymlink = (mode & NewcLayout.TypeMask) == NewcLayout.TypeSymlink;
            var entry = new NewcEntry(name, mode, (int)header.Uid, (int)header.Gid, (int)header.NLink, header.MTime,
                header.FileSize, (int)header.RDevMajor, (int)header.RDevMinor,
                isSymlink ? Encoding.UTF8.GetString(data) : null) { Ino = header.Ino };
            yield return (entry, data);
        }
    }

    private void ReadExactly(byte[] buffer, string what)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = _input.Read(buffer, done, buffer.Length - done);
            if (n == 0) throw new InvalidDataException($"newc archive ends inside the {what} at offset {_position + done} (no TRAILER!!!?).");
            done += n;
        }
        _position += buffer.Length;
    }

    private void Skip(long count)
    {
        if (count > 0) ReadExactly(new byte[count], "padding");
    }
}
