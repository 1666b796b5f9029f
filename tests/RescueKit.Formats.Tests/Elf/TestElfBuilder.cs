using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.Tests.Elf;

/// <summary>
/// Builds a tiny ELF64 x86-64 file by hand for the reader's unit tests: one PT_LOAD mapping the whole file at
/// <see cref="BaseAddress"/>, an optional PT_INTERP, an optional PT_DYNAMIC whose DT_STRTAB is a virtual address,
/// and optional sections (with a .shstrtab) for .modinfo.
/// </summary>
internal sealed class TestElfBuilder
{
    public const ulong BaseAddress = 0x400000;
    private const int EhdrSize = 64, PhdrSize = 56, ShdrSize = 64, DynSize = 16;

    public string? Interpreter { get; init; }
    public IReadOnlyList<string> Needed { get; init; } = [];
    public string? RunPath { get; init; }
    public string? RPath { get; init; }
    public string? Soname { get; init; }
    public bool Dynamic { get; init; } = true;
    public byte[]? ModInfo { get; init; }

    /// <summary>Where <see cref="Build"/> put the dynamic table (16-byte d_tag, d_val entries).</summary>
    public long DynamicOffset { get; private set; }

    public byte[] Build()
    {
        var body = new MemoryStream();
        var phdrs = new List<(uint Type, ulong Offset, ulong Size)>();
        int phnum = 1 + (Interpreter is null ? 0 : 1) + (Dynamic ? 1 : 0);
        var bodyStart = EhdrSize + phnum * PhdrSize;

        long Append(byte[] bytes, int align = 1)
        {
            while ((bodyStart + body.Length) % align != 0) body.WriteByte(0);
            var at = bodyStart + body.Length;
            body.Write(bytes);
            return at;
        }

        if (Interpreter is not null)
            phdrs.Add((3, (ulong)Append(Z(Interpreter)), (ulong)Encoding.UTF8.GetByteCount(Interpreter) + 1));
        if (Dynamic)
        {
            var strtab = new MemoryStream();
            strtab.WriteByte(0);
            ulong Str(string s) { var at = (ulong)strtab.Length; strtab.Write(Z(s)); return at; }
            var dyn = new List<(long, ulong)>();
            foreach (var n in Needed) dyn.Add((1, Str(n)));
            if (Soname is not null) dyn.Add((14, Str(Soname)));
            if (RPath is not null) dyn.Add((15, Str(RPath)));
            if (RunPath is not null) dyn.Add((29, Str(RunPath)));
            var strtabAt = Append(strtab.ToArray());
            dyn.Add((5, BaseAddress + (ulong)strtabAt));
            dyn.Add((10, (ulong)strtab.Length));
            dyn.Add((0, 0));
            var table = new byte[dyn.Count * DynSize];
            for (var i = 0; i < dyn.Count; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(table.AsSpan(i * DynSize), dyn[i].Item1);
                BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(i * DynSize + 8), dyn[i].Item2);
            }
            DynamicOffset = Append(table, 8);
            phdrs.Add((2, (ulong)DynamicOffset, (ulong)table.Length));
        }

        ulong shoff = 0;
        ushort shnum = 0, shstrndx = 0;
        if (ModInfo is not null)
        {
            var names = Encoding.ASCII.GetBytes("\0.modinfo\0.shstrtab\0");
            var modAt = Append(ModInfo);
            var namesAt = Append(names);
            var shdrs = new byte[3 * ShdrSize];
            Section(shdrs.AsSpan(ShdrSize), 1, 1, (ulong)modAt, (ulong)ModInfo.Length);
            Section(shdrs.AsSpan(2 * ShdrSize), 10, 3, (ulong)namesAt, (ulong)names.Length);
            shoff = (ulong)Append(shdrs, 8);
            shnum = 3;
            shstrndx = 2;
        }

        var fileSize = bodyStart + body.Length;
        var file = new byte[fileSize];
        var h = file.AsSpan();
        "\u007FELF"u8.CopyTo(h);
        h[4] = 2; h[5] = 1; h[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(h[16..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(h[18..], 62);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(h[32..], EhdrSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(h[52..], EhdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[54..], PhdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[56..], (ushort)phnum);
        BinaryPrimitives.WriteUInt16LittleEndian(h[58..], ShdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[60..], shnum);
        BinaryPrimitives.WriteUInt16LittleEndian(h[62..], shstrndx);

        phdrs.Insert(0, (1, 0, (ulong)fileSize));
        for (var i = 0; i < phdrs.Count; i++)
        {
            var p = h.Slice(EhdrSize + i * PhdrSize, PhdrSize);
            BinaryPrimitives.WriteUInt32LittleEndian(p, phdrs[i].Type);
            BinaryPrimitives.WriteUInt64LittleEndian(p[8..], phdrs[i].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(p[16..], BaseAddress + phdrs[i].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(p[32..], phdrs[i].Size);
            BinaryPrimitives.WriteUInt64LittleEndian(p[40..], phdrs[i].Size);
        }
        body.ToArray().CopyTo(file, bodyStart);
        return file;
    }

    private static void Section(Span<byte> s, uint name, uint type, ulong offset, ulong size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s, name);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], type);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], offset);
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], size);
    }

    private static byte[] Z(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
