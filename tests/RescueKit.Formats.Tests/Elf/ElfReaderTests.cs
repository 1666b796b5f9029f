using NUnit.Framework;
using System.Buffers.Binary;
using System.Text;
using RescueKit.Formats.Elf;

namespace RescueKit.Formats.Tests.Elf;

public class ElfReaderTests
{
    [Test]
    public void Layout_PinsTheOffsetsThatMatter()
    {
        Assert.That(ElfLayout.Header.Size, Is.EqualTo(64));
        Assert.That(ElfLayout.Header.PhOff, Is.EqualTo(0x20));
        Assert.That(ElfLayout.Header.ShOff, Is.EqualTo(0x28));
        Assert.That(ElfLayout.Header.ShStrNdx, Is.EqualTo(0x3E));
        Assert.That(ElfLayout.ProgramHeader.FileSz, Is.EqualTo(0x20));
        Assert.That(ElfLayout.ProgramHeader.Size, Is.EqualTo(56));
        Assert.That(ElfLayout.SectionHeader.Offset, Is.EqualTo(0x18));
        Assert.That(ElfLayout.SectionHeader.HeaderSize, Is.EqualTo(64));
    }

    [Test]
    public void Read_DynamicExecutable_ReturnsInterpreterNeededAndPaths()
    {
        var bytes = new TestElfBuilder
        {
            Interpreter = "/lib64/ld-linux-x86-64.so.2",
            Needed = ["libfoo.so.1", "libc.so.6"],
            RunPath = "$ORIGIN/../lib:/opt/x/lib",
            RPath = "/old",
            Soname = "libself.so.2",
        }.Build();

        var info = ElfReader.Read(new MemoryStream(bytes));

        Assert.That(info.Interpreter, Is.EqualTo("/lib64/ld-linux-x86-64.so.2"));
        Assert.That(info.Needed, Is.EqualTo(new[] { "libfoo.so.1", "libc.so.6" }));
        Assert.That(info.RunPath, Is.EqualTo(new[] { "$ORIGIN/../lib", "/opt/x/lib" }));
        Assert.That(info.RPath, Is.EqualTo(new[] { "/old" }));
        Assert.That(info.Soname, Is.EqualTo("libself.so.2"));
        Assert.That(info.IsDynamic, Is.True);
    }

    [Test]
    public void Read_StaticExecutable_HasNoInterpreterAndNoNeeded()
    {
        var info = ElfReader.Read(new MemoryStream(new TestElfBuilder { Dynamic = false }.Build()));

        Assert.That(info, Is.EqualTo(info with { Interpreter = null, Soname = null, IsDynamic = false }));
        Assert.That(info.Needed, Is.Empty);
    }

    [Test]
    public void Read_NonSeekableStream_IsBuffered()
    {
        var bytes = new TestElfBuilder { Needed = ["liba.so"] }.Build();
        var info = ElfReader.Read(new ForwardOnlyStream(bytes));
        Assert.That(info.Needed, Is.EqualTo(new[] { "liba.so" }));
    }

    [Test]
    public void Read_EveryTruncation_ThrowsInvalidData()
    {
        var bytes = new TestElfBuilder { Interpreter = "/ld.so", Needed = ["liba.so"] }.Build();
        for (var n = 4; n < bytes.Length; n++)
            Assert.Throws<InvalidDataException>(() => ElfReader.Read(new MemoryStream(bytes[..n])), $"truncated to {n}");
    }

    [Test]
    public void Read_StringOffsetOutsideStringTable_ThrowsInvalidData()
    {
        var builder = new TestElfBuilder { Needed = ["liba.so"] };
        var bytes = builder.Build();
        var dynAt = Entry(bytes, builder, ElfLayout.DtNeeded);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(dynAt + 8), 0xFFFFFF);
        Assert.Throws<InvalidDataException>(() => ElfReader.Read(new MemoryStream(bytes)));
    }

    [Test]
    public void Read_StrtabAddressNotMapped_ThrowsInvalidData()
    {
        var builder = new TestElfBuilder { Needed = ["liba.so"] };
        var bytes = builder.Build();
        var at = Entry(bytes, builder, ElfLayout.DtStrTab);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 8), 0x10);
        var e = Assert.Throws<InvalidDataException>(() => ElfReader.Read(new MemoryStream(bytes)));
        Assert.That(e!.Message, Does.Contain("PT_LOAD"));
    }

    [TestCase(4, (byte)1, "class")]
    [TestCase(5, (byte)2, "little-endian")]
    public void Read_Elf32OrBigEndian_IsRefusedClearly(int index, byte value, string expected)
    {
        var bytes = new TestElfBuilder().Build();
        bytes[index] = value;
        var e = Assert.Throws<InvalidDataException>(() => ElfReader.Read(new MemoryStream(bytes)));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [Test]
    public void Read_OtherMachine_IsRefused()
    {
        var bytes = new TestElfBuilder().Build();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), 183); // EM_AARCH64
        Assert.Throws<InvalidDataException>(() => ElfReader.Read(new MemoryStream(bytes)));
    }

    [Test]
    public void Read_Garbage_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ElfReader.Read(new MemoryStream(Encoding.ASCII.GetBytes("#!/bin/sh\necho hi\n"))));
    }

    [Test]
    public void TryRead_NonElfOrTinyFile_ReturnsNull_ElfReturnsInfo()
    {
        var dir = Directory.CreateTempSubdirectory("rk-elf-");
        try
        {
            var script = Path.Combine(dir.FullName, "script");
            File.WriteAllText(script, "#!/bin/sh\n");
            var tiny = Path.Combine(dir.FullName, "tiny");
            File.WriteAllBytes(tiny, [0x7F, (byte)'E']);
            var elf = Path.Combine(dir.FullName, "elf");
            File.WriteAllBytes(elf, new TestElfBuilder { Needed = ["libq.so"] }.Build());

            Assert.That(ElfReader.TryRead(script), Is.Null);
            Assert.That(ElfReader.TryRead(tiny), Is.Null);
            Assert.That(ElfReader.TryRead(elf)!.Needed, Is.EqualTo(new[] { "libq.so" }));
            Assert.That(ElfReader.IsElf64X86_64(elf), Is.True);
            Assert.That(ElfReader.IsElf64X86_64(script), Is.False);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void ReadModInfo_SplitsOnNulAndSkipsPadding()
    {
        var modinfo = Encoding.ASCII.GetBytes("name=foo\0\0\0depends=bar,baz\0firmware=a/b.bin\0firmware=c.bin\0vermagic=6.1 SMP\0junk\0");
        var bytes = new TestElfBuilder { Dynamic = false, ModInfo = modinfo }.Build();

        var entries = ElfReader.ReadModInfo(new MemoryStream(bytes));

        Assert.That(entries, Is.EqualTo(new KeyValuePair<string, string>[]
        {
            new("name", "foo"), new("depends", "bar,baz"), new("firmware", "a/b.bin"), new("firmware", "c.bin"),
            new("vermagic", "6.1 SMP"),
        }));
    }

    [Test]
    public void ReadModInfo_NoSection_ThrowsInvalidData()
    {
        var bytes = new TestElfBuilder().Build();
        Assert.Throws<InvalidDataException>(() => ElfReader.ReadModInfo(new MemoryStream(bytes)));
        Assert.That(ElfReader.ReadSection(new MemoryStream(bytes), ".modinfo"), Is.Null);
    }

    /// <summary>The file offset of the dynamic entry with this tag.</summary>
    private static int Entry(byte[] bytes, TestElfBuilder builder, long tag)
    {
        for (var at = (int)builder.DynamicOffset; at + 16 <= bytes.Length; at += 16)
            if (BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at)) == tag) return at;
        throw new InvalidOperationException($"no dynamic tag {tag}");
    }

    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
