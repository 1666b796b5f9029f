using System.IO.Compression;
using RescueKit.Tests.Shared;

namespace RescueKit.Discovery.Tests;

/// <summary>Module files of every compression, made by the tools a kernel build uses, read back in-process.</summary>
public class ModuleFilesTests
{
    private string _dir = null!;
    private byte[] _elf = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("rk-modfiles-").FullName;
        // Big enough for several xz and zstd blocks' worth of varied bytes, as a real module is.
        var padding = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"parm=p{i * 7919 % 10007}:int"));
        _elf = TestModule.Build("name=alpha", "firmware=alpha.bin", padding);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Plain()
    {
        var path = Path.Join(_dir, "alpha.ko");
        File.WriteAllBytes(path, _elf);
        return path;
    }

    // scripts/Makefile.modinstall: xz --check=crc32 --lzma2=dict=1MiB; zstd -T0 (which records the content size).
    [TestCase("xz", new[] { "--check=crc32", "--lzma2=dict=1MiB" }, TestName = "Xz_AsTheKernelBuildCompresses")]
    [TestCase("xz", new string[0], TestName = "Xz_Crc64")]
    [TestCase("zst", new string[0], TestName = "Zstd_WithContentSize")]
    [TestCase("zst", new[] { "--no-content-size" }, TestName = "Zstd_WithoutContentSize")]
    public void ReadElf_DecompressesWhatTheToolWrote(string suffix, string[] options)
    {
        var plain = Plain();
        if (suffix == "xz") ExternalTool.RunOk("xz", "xz-utils", [.. options, "--quiet", plain]);
        else ExternalTool.RunOk("zstd", "zstd", [.. options, "--quiet", "--rm", plain]);
        var packed = $"{plain}.{suffix}";

        Assert.That(ModuleFiles.ReadElf(packed), Is.EqualTo(_elf));
        Assert.That(ModuleInfoReader.Read(packed), Does.Contain(new KeyValuePair<string, string>("firmware", "alpha.bin")));
    }

    [Test]
    public void ReadElf_Gzip_AndPlain()
    {
        var plain = Plain();
        using (var gz = new GZipStream(File.Create(plain + ".gz"), CompressionLevel.SmallestSize)) gz.Write(_elf);

        Assert.That(ModuleFiles.ReadElf(plain + ".gz"), Is.EqualTo(_elf));
        Assert.That(ModuleFiles.ReadElf(plain), Is.EqualTo(_elf));
    }

    [TestCase("xz")]
    [TestCase("zst")]
    public void CorruptCompressedModule_IsInvalidData_NamingTheFile(string suffix)
    {
        var plain = Plain();
        if (suffix == "xz") ExternalTool.RunOk("xz", "xz-utils", ["--quiet", plain]);
        else ExternalTool.RunOk("zstd", "zstd", ["--quiet", "--rm", plain]);
        var packed = $"{plain}.{suffix}";
        var bytes = File.ReadAllBytes(packed);
        File.WriteAllBytes(packed, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => ModuleInfoReader.Read(packed))!;

        Assert.That(e.Message, Does.StartWith(packed));
    }

    [TestCase("kernel/fs/ext4/ext4.ko", ModuleCompression.None, "kernel/fs/ext4/ext4")]
    [TestCase("kernel/fs/ext4/ext4.ko.gz", ModuleCompression.Gzip, "kernel/fs/ext4/ext4")]
    [TestCase("kernel/fs/ext4/ext4.ko.xz", ModuleCompression.Xz, "kernel/fs/ext4/ext4")]
    [TestCase("kernel/fs/ext4/ext4.ko.zst", ModuleCompression.Zstd, "kernel/fs/ext4/ext4")]
    [TestCase("kernel/drivers/md/dm-mod.ko.xz", ModuleCompression.Xz, "kernel/drivers/md/dm-mod")]
    public void Suffixes(string path, ModuleCompression compression, string stem)
    {
        Assert.That(ModuleFiles.CompressionOf(path), Is.EqualTo(compression));
        Assert.That(ModuleFiles.WithoutSuffix(path), Is.EqualTo(stem));
    }

    [Test]
    public void NotAModuleName_HasNoCompression()
    {
        Assert.That(ModuleFiles.CompressionOf("kernel/fs/ext4/ext4.ko.bz2"), Is.Null);
        Assert.Throws<ArgumentException>(() => ModuleFiles.WithoutSuffix("modules.dep"));
    }
}
