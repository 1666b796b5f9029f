using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Discovery.Tests;

/// <summary>The smallest file the module reader accepts: an ELF64 x86-64 header and three sections
/// (null, .modinfo holding the given key=value strings, .shstrtab).</summary>
internal static class TestModule
{
    public static byte[] Build(params string[] modinfo)
    {
        var info = Encoding.ASCII.GetBytes(string.Concat(modinfo.Select(e => e + "\0")));
        var names = "\0.modinfo\0.shstrtab\0"u8.ToArray();
        var infoAt = 64;
        var namesAt = infoAt + info.Length;
        var shoff = (namesAt + names.Length + 7) / 8 * 8;
        var file = new byte[shoff + 3 * 64];
        "\u007FELF"u8.CopyTo(file);
        file[4] = 2; file[5] = 1; file[6] = 1;
        var h = file.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(h[16..], 1); // ET_REL, like a .ko
        BinaryPrimitives.WriteUInt16LittleEndian(h[18..], 62);
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(h[52..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(h[58..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(h[60..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(h[62..], 2);
        info.CopyTo(file, infoAt);
        names.CopyTo(file, namesAt);
        Section(h.Slice(shoff + 64, 64), 1, infoAt, info.Length);
        Section(h.Slice(shoff + 128, 64), 10, namesAt, names.Length);
        return file;
    }

    private static void Section(Span<byte> s, uint name, int offset, int size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s, name);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], name == 1 ? 1u : 3u);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], (ulong)size);
    }
}
