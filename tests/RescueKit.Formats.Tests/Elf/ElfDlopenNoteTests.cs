using NUnit.Framework;
using RescueKit.Formats.Elf;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Elf;

/// <summary>
/// .note.dlopen notes (systemd.io/ELF_DLOPEN_METADATA) as gcc lays them out from C in the way kmod 34 and systemd
/// declare them: one note per feature, 4-byte aligned, with "FDO" as owner and 0x407c0c0a as type.
/// </summary>
[Category("Oracle")]
public class ElfDlopenNoteTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("rk-dlopen-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>A shared object with one note per JSON text, each in its own variable as the C macros make them.</summary>
    private string Compile(params string[] jsonNotes)
    {
        var c = "#include <stdint.h>\n";
        for (var i = 0; i < jsonNotes.Length; i++)
        {
            var literal = jsonNotes[i].Replace("\\", "\\\\").Replace("\"", "\\\"");
            c += $$"""
                __attribute__((used, section(".note.dlopen"))) _Alignas(4) static const struct {
                    struct { uint32_t n_namesz, n_descsz, n_type; } nhdr;
                    char name[sizeof("FDO")];
                    _Alignas(4) char json[sizeof("{{literal}}")];
                } note{{i}} = { { sizeof("FDO"), sizeof("{{literal}}"), 0x407c0c0a }, "FDO", "{{literal}}" };

                """;
        }
        // A note of another owner in the same section must be passed over.
        c += """
            __attribute__((used, section(".note.dlopen"))) _Alignas(4) static const struct {
                struct { uint32_t n_namesz, n_descsz, n_type; } nhdr; char name[8]; char desc[4];
            } other = { { 7, 4, 0x407c0c0a }, "Other!", "abc" };
            int f(void) { return 0; }
            """;
        var source = Path.Join(_dir, "lib.c");
        File.WriteAllText(source, c);
        var lib = Path.Join(_dir, "libtest.so");
        ExternalTool.RunOk("gcc", "gcc", ["-shared", "-fPIC", "-o", lib, source]);
        return lib;
    }

    [Test]
    public void Notes_GiveEverySonameFeatureAndPriority_AsReadelfShowsThem()
    {
        var lib = Compile(
            """[{"feature":"zstd","description":"Support for uncompressing zstd-compressed modules","priority":"recommended","soname":["libzstd.so.1"]}]""",
            """[{"feature":"xz","priority":"suggested","soname":["liblzma.so.5","liblzma.so.6"]},{"feature":"tpm","soname":["libtss2-esys.so.0"]}]""");
        var dump = ExternalTool.RunOk("readelf", "binutils", ["-p", ".note.dlopen", lib]);
        Assert.That(dump, Does.Contain("libzstd.so.1").And.Contain("liblzma.so.5"), "readelf sees the notes gcc wrote");

        var info = ElfReader.Read(File.OpenRead(lib));

        Assert.That(info.Dlopen.Select(d => (d.Feature, string.Join(',', d.Sonames), d.Priority)), Is.EqualTo(new[]
        {
            ("zstd", "libzstd.so.1", "recommended"),
            ("xz", "liblzma.so.5,liblzma.so.6", "suggested"),
            ("tpm", "libtss2-esys.so.0", "recommended"),
        }));
        Assert.That(info.Dlopen.Any(d => d.IsRequired), Is.False);
    }

    [Test]
    public void NoNotes_NoDlopenDependencies()
    {
        var info = ElfReader.Read(File.OpenRead("/bin/ls"));
        Assert.That(info.Dlopen, Is.Empty);
    }

    [Test]
    public void NoteThatIsNotJson_IsInvalidData()
    {
        var lib = Compile("""[{"soname":["libzstd.so.1"]""");

        var e = Assert.Throws<InvalidDataException>(() => ElfReader.Read(File.OpenRead(lib)))!;

        Assert.That(e.Message, Does.Contain("dlopen note").And.Contain("JSON"));
    }
}
