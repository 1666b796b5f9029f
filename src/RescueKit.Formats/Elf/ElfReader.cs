using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.Elf;

/// <summary>
/// Reads ELF64 little-endian x86-64 files without executing them: the program interpreter and dynamic section of
/// programs and libraries, named sections, and the <c>.modinfo</c> of kernel modules. ELF32 and big-endian files are
/// refused with <see cref="InvalidDataException"/>.
/// </summary>
public static class ElfReader
{
    /// <summary>Reads PT_INTERP and the dynamic section. Throws <see cref="InvalidDataException"/> when the data is not
    /// a readable ELF64 x86-64 file. A non-seekable stream is buffered first.</summary>
    public static ElfInfo Read(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var elf = ElfFile.Open(Seekable(s));
        string? interpreter = null;
        ElfSegment? dynamic = null;
        foreach (var seg in elf.Segments)
        {
            if (seg.Type == ElfLayout.PtInterp && interpreter is null)
                interpreter = ReadInterpreter(elf, seg);
            else if (seg.Type == ElfLayout.PtDynamic && dynamic is null)
                dynamic = seg;
        }
        return dynamic is { } d
            ? ReadDynamic(elf, d, interpreter)
            : new ElfInfo(interpreter, [], [], [], null, IsDynamic: false);
    }

    /// <summary>Reads <paramref name="path"/>; null when it is not an ELF file at all (a script, a text file, a file
    /// shorter than the magic). A file that starts like ELF but is corrupt still throws <see cref="InvalidDataException"/>.</summary>
    public static ElfInfo? TryRead(string path)
    {
        using var f = File.OpenRead(path);
        return StartsWithMagic(f) ? Read(f) : null;
    }

    /// <summary>True when <paramref name="path"/> is an ELF64 little-endian x86-64 file: what the x86-64 dynamic
    /// loader accepts when it searches a directory, so a 32-bit library of the same name is passed over.</summary>
    public static bool IsElf64X86_64(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[ElfLayout.Header.Version];
        return f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && ElfFile.IsElf64X86_64(head);
    }

    /// <summary>The contents of the section called <paramref name="name"/>, or null when there is none.</summary>
    public static byte[]? ReadSection(Stream s, string name)
    {
        ArgumentNullException.ThrowIfNull(s);
        var elf = ElfFile.Open(Seekable(s));
        foreach (var section in elf.Sections)
            if (section.Name == name)
                return elf.Read(section.Offset, section.Size, $"section {name}");
        return null;
    }

    /// <summary>The key=value entries of a kernel module's <c>.modinfo</c> section (name, depends, softdep, firmware,
    /// alias, vermagic, ...), in file order; keys may repeat (alias, firmware). Throws
    /// <see cref="InvalidDataException"/> when the file has no <c>.modinfo</c> section.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ReadModInfo(string path)
    {
        using var f = File.OpenRead(path);
        return ReadModInfo(f);
    }

    /// <inheritdoc cref="ReadModInfo(string)"/>
    public static IReadOnlyList<KeyValuePair<string, string>> ReadModInfo(Stream s)
    {
        var data = ReadSection(s, ".modinfo") ?? throw new InvalidDataException("no .modinfo section: not a kernel module");
        return ParseModInfo(data);
    }

    /// <summary>Splits a .modinfo blob: NUL-terminated "key=value" strings, with NUL padding between some of them
    /// (each MODULE_INFO string is its own aligned object). Strings without '=' carry nothing and are skipped.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ParseModInfo(ReadOnlySpan<byte> data)
    {
        var entries = new List<KeyValuePair<string, string>>();
        foreach (var range in data.Split((byte)0))
        {
            var text = data[range];
            var eq = text.IndexOf((byte)'=');
            if (eq <= 0) continue;
            entries.Add(new(Encoding.UTF8.GetString(text[..eq]), Encoding.UTF8.GetString(text[(eq + 1)..])));
        }
        return entries;
    }

    private static string ReadInterpreter(ElfFile elf, ElfSegment seg)
    {
        var bytes = elf.Read(seg.Offset, seg.FileSize, "PT_INTERP");
        var end = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, end < 0 ? bytes.Length : end);
    }

    private static ElfInfo ReadDynamic(ElfFile elf, ElfSegment seg, string? interpreter)
    {
        var table = elf.Read(seg.Offset, seg.FileSize, "PT_DYNAMIC");
        var entries = new List<(long Tag, ulong Value)>();
        ulong? strtab = null, strsz = null;
        for (var at = 0; at + ElfLayout.Dynamic.Size <= table.Length; at += ElfLayout.Dynamic.Size)
        {
            var tag = BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(at + ElfLayout.Dynamic.Tag));
            var value = BinaryPrimitives.ReadUInt64LittleEndian(table.AsSpan(at + ElfLayout.Dynamic.Value));
            if (tag == ElfLayout.DtNull) break;
            if (tag == ElfLayout.DtStrTab) strtab = value;
            else if (tag == ElfLayout.DtStrSz) strsz = value;
            else entries.Add((tag, value));
        }

        // d_val of DT_NEEDED etc. are offsets into DT_STRTAB, which is a virtual address (gABI "Dynamic Section").
        var needsStrings = entries.Any(e => e.Tag is ElfLayout.DtNeeded or ElfLayout.DtSoname or ElfLayout.DtRPath or ElfLayout.DtRunPath);
        if (needsStrings && strtab is null) throw new InvalidDataException("the dynamic section names strings but has no DT_STRTAB");
        var strtabOffset = needsStrings ? elf.OffsetOfAddress(strtab!.Value) : 0;
        string Str(ulong index, string what) => elf.ReadString(strtabOffset, strsz, index, what);

        var needed = new List<string>();
        var runPath = new List<string>();
        var rPath = new List<string>();
        string? soname = null;
        foreach (var (tag, value) in entries)
        {
            switch (tag)
            {
                case ElfLayout.DtNeeded: needed.Add(Str(value, "DT_NEEDED")); break;
                case ElfLayout.DtSoname: soname = Str(value, "DT_SONAME"); break;
                case ElfLayout.DtRunPath: runPath.AddRange(SplitPath(Str(value, "DT_RUNPATH"))); break;
                case ElfLayout.DtRPath: rPath.AddRange(SplitPath(Str(value, "DT_RPATH"))); break;
            }
        }
        return new ElfInfo(interpreter, needed, runPath, rPath, soname, IsDynamic: true);
    }

    private static string[] SplitPath(string value) => value.Split(':', StringSplitOptions.RemoveEmptyEntries);

    private static bool StartsWithMagic(Stream f)
    {
        Span<byte> magic = stackalloc byte[ElfLayout.Magic.Length];
        var n = f.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        f.Position = 0;
        return n == magic.Length && ElfFile.HasMagic(magic);
    }

    private static Stream Seekable(Stream s)
    {
        if (s.CanSeek) return s;
        var copy = new MemoryStream();
        s.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
