namespace RescueKit.Formats.Elf;

/// <summary>
/// Field offsets of the ELF64 structures RescueKit reads, from the System V gABI ("ELF Header", "Program Header",
/// "Sections", "Dynamic Section") with the x86-64 psABI sizes. Offsets follow from the field lengths in order.
/// </summary>
internal static class ElfLayout
{
    /// <summary>EI_MAG0..EI_MAG3.</summary>
    public static ReadOnlySpan<byte> Magic => "\u007FELF"u8;

    /// <summary>e_ident indices (gABI "ELF Identification").</summary>
    public const int EiClass = 4, EiData = 5, EiNident = 16;
    public const byte ElfClass32 = 1, ElfClass64 = 2, ElfData2Lsb = 1, ElfData2Msb = 2;
    public const ushort EmX86_64 = 62;

    /// <summary>Elf64_Ehdr: e_ident[16], e_type, e_machine, e_version, e_entry, e_phoff, e_shoff, e_flags, e_ehsize,
    /// e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx.</summary>
    public static class Header
    {
        public const int Type = EiNident;
        public const int Machine = Type + sizeof(ushort);
        public const int Version = Machine + sizeof(ushort);
        public const int Entry = Version + sizeof(uint);
        public const int PhOff = Entry + sizeof(ulong);
        public const int ShOff = PhOff + sizeof(ulong);
        public const int Flags = ShOff + sizeof(ulong);
        public const int EhSize = Flags + sizeof(uint);
        public const int PhEntSize = EhSize + sizeof(ushort);
        public const int PhNum = PhEntSize + sizeof(ushort);
        public const int ShEntSize = PhNum + sizeof(ushort);
        public const int ShNum = ShEntSize + sizeof(ushort);
        public const int ShStrNdx = ShNum + sizeof(ushort);
        public const int Size = ShStrNdx + sizeof(ushort);
    }

    /// <summary>Elf64_Phdr: p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align.</summary>
    public static class ProgramHeader
    {
        public const int Type = 0;
        public const int Flags = Type + sizeof(uint);
        public const int Offset = Flags + sizeof(uint);
        public const int VAddr = Offset + sizeof(ulong);
        public const int PAddr = VAddr + sizeof(ulong);
        public const int FileSz = PAddr + sizeof(ulong);
        public const int MemSz = FileSz + sizeof(ulong);
        public const int Align = MemSz + sizeof(ulong);
        public const int Size = Align + sizeof(ulong);
    }

    /// <summary>Elf64_Shdr: sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize.</summary>
    public static class SectionHeader
    {
        public const int Name = 0;
        public const int Type = Name + sizeof(uint);
        public const int Flags = Type + sizeof(uint);
        public const int Addr = Flags + sizeof(ulong);
        public const int Offset = Addr + sizeof(ulong);
        public const int Size = Offset + sizeof(ulong);
        public const int Link = Size + sizeof(ulong);
        public const int Info = Link + sizeof(uint);
        public const int AddrAlign = Info + sizeof(uint);
        public const int EntSize = AddrAlign + sizeof(ulong);
        public const int HeaderSize = EntSize + sizeof(ulong);
    }

    /// <summary>Elf64_Dyn: d_tag (Sxword), d_un (Xword).</summary>
    public static class Dynamic
    {
        public const int Tag = 0;
        public const int Value = Tag + sizeof(long);
        public const int Size = Value + sizeof(ulong);
    }

    /// <summary>Elf64_Nhdr: n_namesz, n_descsz, n_type (Word each), then the name and the descriptor, each padded to
    /// 4 bytes (gABI "Note Section"; the dlopen notes are 4-byte aligned in ELF64 too).</summary>
    public static class Note
    {
        public const int NameSize = 0;
        public const int DescriptorSize = NameSize + sizeof(uint);
        public const int Type = DescriptorSize + sizeof(uint);
        public const int Size = Type + sizeof(uint);
        public const int Alignment = 4;
    }

    /// <summary>The ELF dlopen metadata note (systemd.io/ELF_DLOPEN_METADATA): section, owner and type.</summary>
    public const string DlopenSection = ".note.dlopen";
    public const string DlopenOwner = "FDO";
    public const uint DlopenNoteType = 0x407c0c0a;

    /// <summary>Program header types (gABI "Segment Types").</summary>
    public const uint PtLoad = 1, PtDynamic = 2, PtInterp = 3;

    /// <summary>Dynamic tags (gABI "Dynamic Array Tags").</summary>
    public const long DtNull = 0, DtNeeded = 1, DtStrTab = 5, DtStrSz = 10, DtSoname = 14, DtRPath = 15, DtRunPath = 29;

    /// <summary>Special section indices: e_shnum / e_shstrndx overflow into section 0 (gABI "Extended numbering").</summary>
    public const ushort ShnUndef = 0, ShnXIndex = 0xFFFF, PnXNum = 0xFFFF;
}
