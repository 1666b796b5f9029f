using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.Elf;

/// <summary>One PT_* entry of the program header table (only the fields RescueKit uses).</summary>
internal readonly record struct ElfSegment(uint Type, ulong Offset, ulong VirtualAddress, ulong FileSize);

/// <summary>One entry of the section header table, with its name resolved through e_shstrndx.</summary>
internal readonly record struct ElfSection(uint NameIndex, string Name, uint Type, ulong Offset, ulong Size, uint Link);

/// <summary>
/// The headers of an ELF64 little-endian x86-64 file read from a seekable stream. Every offset and count taken from the
/// file is checked against the stream length before it is used, so a truncated or hostile file gives
/// <see cref="InvalidDataException"/> rather than a huge allocation or an out-of-range read.
/// </summary>
internal sealed class ElfFile
{
    private readonly Stream stream;
    private readonly long length;

    private ElfFile(Stream stream)
    {
        this.stream = stream;
        length = stream.Length;
    }

    public IReadOnlyList<ElfSegment> Segments { get; private set; } = [];

    public IReadOnlyList<ElfSection> Sections { get; private set; } = [];

    /// <summary>True when the first bytes are the ELF magic, whatever class or machine follows.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> start) =>
        start.Length >= ElfLayout.Magic.Length && start[..ElfLayout.Magic.Length].SequenceEqual(ElfLayout.Magic);

    /// <summary>True for the one flavour RescueKit reads: ELFCLASS64, ELFDATA2LSB, EM_X86_64.</summary>
    public static bool IsElf64X86_64(ReadOnlySpan<byte> header) =>
        header.Length >= ElfLayout.Header.Version && HasMagic(header)
        && header[ElfLayout.EiClass] == ElfLayout.ElfClass64 && header[ElfLayout.EiData] == ElfLayout.ElfData2Lsb
        && BinaryPrimitives.ReadUInt16LittleEndian(header[ElfLayout.Header.Machine..]) == ElfLayout.EmX86_64;

    public static ElfFile Open(Stream stream)
    {
        if (!stream.CanSeek) throw new ArgumentException("the stream must be seekable", nameof(stream));
        var length = stream.Length;
        var h = ReadAt(stream, length, 0, ElfLayout.Header.Size, "ELF header");
        if (!HasMagic(h)) throw new InvalidDataException("not an ELF file (no \\x7FELF magic)");
        if (h[ElfLayout.EiClass] != ElfLayout.ElfClass64)
            throw new InvalidDataException($"ELF class {h[ElfLayout.EiClass]} is not supported: only ELFCLASS64 (2) is read");
        if (h[ElfLayout.EiData] != ElfLayout.ElfData2Lsb)
            throw new InvalidDataException($"ELF data encoding {h[ElfLayout.EiData]} is not supported: only little-endian (1) is read");
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(ElfLayout.Header.Machine));
        if (machine != ElfLayout.EmX86_64)
            throw new InvalidDataException($"ELF machine {machine} is not supported: only EM_X86_64 (62) is read");

        var file = new ElfFile(stream);
        var sections = ReadSections(stream, length, h);
        file.Segments = ReadSegments(stream, length, h, sections);
        file.Sections = file.NameSections(h, sections);
        return file;
    }

    /// <summary>The file bytes backing virtual address <paramref name="address"/>, through the PT_LOAD that maps it
    /// (gABI "Program Loading": offset = p_offset + (vaddr - p_vaddr) within p_filesz).</summary>
    public long OffsetOfAddress(ulong address)
    {
        foreach (var s in Segments)
            if (s.Type == ElfLayout.PtLoad && address >= s.VirtualAddress && address - s.VirtualAddress < s.FileSize)
                return checked((long)(s.Offset + (address - s.VirtualAddress)));
        throw new InvalidDataException($"address 0x{address:x} is not inside any PT_LOAD segment");
    }

    public byte[] Read(ulong offset, ulong count, string what)
    {
        if (offset > (ulong)length || count > (ulong)length - offset)
            throw new InvalidDataException($"{what} (offset {offset}, {count} bytes) lies beyond the end of the {length}-byte file");
        return ReadAt(stream, length, (long)offset, (int)count, what);
    }

    /// <summary>The NUL-terminated string at <paramref name="index"/> of a string table that is
    /// <paramref name="tableSize"/> bytes long (or runs to the end of the file when unknown).</summary>
    public string ReadString(long tableOffset, ulong? tableSize, ulong index, string what)
    {
        var limit = (ulong)length - Math.Min((ulong)length, (ulong)tableOffset);
        if (tableSize is { } size) limit = Math.Min(limit, size);
        if (index >= limit) throw new InvalidDataException($"{what}: string index {index} is outside its string table");
        var chunk = Read((ulong)tableOffset + index, Math.Min(limit - index, 4096), what);
        var end = Array.IndexOf(chunk, (byte)0);
        if (end < 0) throw new InvalidDataException($"{what}: string at index {index} has no NUL terminator");
        return Encoding.UTF8.GetString(chunk, 0, end);
    }

    private static List<ElfSection> ReadSections(Stream stream, long length, byte[] h)
    {
        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(ElfLayout.Header.ShOff));
        if (shoff == 0) return [];
        int entSize = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(ElfLayout.Header.ShEntSize));
        if (entSize < ElfLayout.SectionHeader.HeaderSize)
            throw new InvalidDataException($"e_shentsize {entSize} is smaller than an Elf64_Shdr ({ElfLayout.SectionHeader.HeaderSize})");
        ulong count = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(ElfLayout.Header.ShNum));
        if (count == 0)
            // Extended numbering: the real count is section 0's sh_size.
            count = ParseSection(ReadAt(stream, length, CheckedOffset(shoff, (ulong)entSize, length, "section header 0"), entSize, "section header 0")).Size;
        var table = ReadAt(stream, length, CheckedOffset(shoff, count * (ulong)entSize, length, "section header table"),
            checked((int)(count * (ulong)entSize)), "section header table");
        var list = new List<ElfSection>((int)count);
        for (var i = 0; i < (int)count; i++) list.Add(ParseSection(table.AsSpan(i * entSize, entSize)));
        return list;
    }

    private static ElfSection ParseSection(ReadOnlySpan<byte> e) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(e[ElfLayout.SectionHeader.Name..]),
        "",
        BinaryPrimitives.ReadUInt32LittleEndian(e[ElfLayout.SectionHeader.Type..]),
        BinaryPrimitives.ReadUInt64LittleEndian(e[ElfLayout.SectionHeader.Offset..]),
        BinaryPrimitives.ReadUInt64LittleEndian(e[ElfLayout.SectionHeader.Size..]),
        BinaryPrimitives.ReadUInt32LittleEndian(e[ElfLayout.SectionHeader.Link..]));

    /// <summary>Fills in each section's name from the section name string table (e_shstrndx, or section 0's
    /// sh_link under extended numbering).</summary>
    private List<ElfSection> NameSections(byte[] h, List<ElfSection> sections)
    {
        uint strndx = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(ElfLayout.Header.ShStrNdx));
        if (strndx == ElfLayout.ShnXIndex && sections.Count > 0) strndx = sections[0].Link;
        if (strndx == ElfLayout.ShnUndef || sections.Count == 0) return sections;
        if (strndx >= sections.Count) throw new InvalidDataException($"e_shstrndx {strndx} is past the {sections.Count} sections");
        var names = sections[(int)strndx];
        if (names.Offset > (ulong)length) throw new InvalidDataException($"the section name table offset {names.Offset} is past the end of the file");
        return sections.Select(s => s with { Name = ReadString((long)names.Offset, names.Size, s.NameIndex, "section name") }).ToList();
    }

    private static List<ElfSegment> ReadSegments(Stream stream, long length, byte[] h, List<ElfSection> sections)
    {
        var phoff = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(ElfLayout.Header.PhOff));
        if (phoff == 0) return [];
        int entSize = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(ElfLayout.Header.PhEntSize));
        if (entSize < ElfLayout.ProgramHeader.Size)
            throw new InvalidDataException($"e_phentsize {entSize} is smaller than an Elf64_Phdr ({ElfLayout.ProgramHeader.Size})");
        ulong count = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(ElfLayout.Header.PhNum));
        if (count == ElfLayout.PnXNum && sections.Count > 0)
            throw new InvalidDataException("more than 65534 program headers (PN_XNUM) is not supported");
        var table = ReadAt(stream, length, CheckedOffset(phoff, count * (ulong)entSize, length, "program header table"),
            checked((int)(count * (ulong)entSize)), "program header table");
        var list = new List<ElfSegment>((int)count);
        for (var i = 0; i < (int)count; i++)
        {
            var e = table.AsSpan(i * entSize, entSize);
            list.Add(new ElfSegment(
                BinaryPrimitives.ReadUInt32LittleEndian(e[ElfLayout.ProgramHeader.Type..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[ElfLayout.ProgramHeader.Offset..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[ElfLayout.ProgramHeader.VAddr..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[ElfLayout.ProgramHeader.FileSz..])));
        }
        return list;
    }

    private static long CheckedOffset(ulong offset, ulong count, long length, string what)
    {
        if (offset > (ulong)length || count > (ulong)length - offset)
            throw new InvalidDataException($"{what} (offset {offset}, {count} bytes) lies beyond the end of the {length}-byte file");
        return (long)offset;
    }

    private static byte[] ReadAt(Stream stream, long length, long offset, int count, string what)
    {
        if (offset + count > length)
            throw new InvalidDataException($"{what} (offset {offset}, {count} bytes) lies beyond the end of the {length}-byte file");
        var buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }
}
