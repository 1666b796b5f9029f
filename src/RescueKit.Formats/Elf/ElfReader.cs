using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

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
        var info = dynamic is { } d
            ? ReadDynamic(elf, d, interpreter)
            : new ElfInfo(interpreter, [], [], [], null, IsDynamic: false);
        return info with { Dlopen = ReadDlopenNotes(elf) };
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

    /// <summary>
    /// The entries of every FDO dlopen note in the .note.dlopen sections: each note's descriptor is a NUL-terminated
    /// JSON array of objects with "soname" (an array of strings), "feature" and "priority"; unknown names are ignored,
    /// as the specification asks. A note that is not valid JSON is an <see cref="InvalidDataException"/>.
    /// </summary>
    private static List<ElfDlopenDependency> ReadDlopenNotes(ElfFile elf)
    {
        var result = new List<ElfDlopenDependency>();
        foreach (var section in elf.Sections)
        {
            if (section.Name != ElfLayout.DlopenSection) continue;
            var data = elf.Read(section.Offset, section.Size, $"section {ElfLayout.DlopenSection}");
            foreach (var descriptor in Notes(data, ElfLayout.DlopenOwner, ElfLayout.DlopenNoteType))
                result.AddRange(ParseDlopenJson(descriptor));
        }
        return result;
    }

    /// <summary>The descriptors of the notes in <paramref name="data"/> with this owner and type (gABI "Note Section").</summary>
    private static List<byte[]> Notes(byte[] data, string owner, uint type)
    {
        static int Padded(uint n) => checked((int)((n + ElfLayout.Note.Alignment - 1) / ElfLayout.Note.Alignment * ElfLayout.Note.Alignment));
        var found = new List<byte[]>();
        var at = 0;
        while (data.Length - at >= ElfLayout.Note.Size)
        {
            var h = data.AsSpan(at);
            var nameSize = BinaryPrimitives.ReadUInt32LittleEndian(h[ElfLayout.Note.NameSize..]);
            var descSize = BinaryPrimitives.ReadUInt32LittleEndian(h[ElfLayout.Note.DescriptorSize..]);
            var noteType = BinaryPrimitives.ReadUInt32LittleEndian(h[ElfLayout.Note.Type..]);
            if (nameSize == 0 && descSize == 0 && noteType == 0) { at += ElfLayout.Note.Size; continue; } // 0-padding
            var nameAt = at + ElfLayout.Note.Size;
            if (nameSize > int.MaxValue || descSize > int.MaxValue) throw new InvalidDataException("an ELF note is larger than the file");
            var descAt = nameAt + Padded(nameSize);
            if (descAt + (long)descSize > data.Length) throw new InvalidDataException("an ELF note runs past the end of its section");
            // n_namesz counts the name's terminating NUL.
            var name = Encoding.ASCII.GetString(data, nameAt, (int)nameSize).TrimEnd('\0');
            if (name == owner && noteType == type) found.Add(data[descAt..(descAt + (int)descSize)]);
            at = descAt + Padded(descSize);
        }
        return found;
    }

    private static IEnumerable<ElfDlopenDependency> ParseDlopenJson(byte[] descriptor)
    {
        var end = Array.IndexOf(descriptor, (byte)0);
        var json = descriptor.AsMemory(0, end < 0 ? descriptor.Length : end);
        var entries = new List<ElfDlopenDependency>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new InvalidDataException("a dlopen note is not a JSON array");
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("soname", out var sonames)
                    || sonames.ValueKind != JsonValueKind.Array)
                    throw new InvalidDataException("a dlopen note entry has no \"soname\" array");
                entries.Add(new ElfDlopenDependency(
                    StringOf(item, "feature") ?? "",
                    sonames.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToList(),
                    StringOf(item, "priority") ?? "recommended"));
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"a dlopen note is not valid JSON: {e.Message}", e);
        }
        return entries;

        static string? StringOf(JsonElement item, string name)
            => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
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
