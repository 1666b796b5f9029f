using NUnit.Framework;
using RescueKit.Formats.Fat;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Fat;

/// <summary>Checks images with dosfstools, mtools, file and blkid (formats.md §10, §14), once per FAT type.</summary>
[Category("Oracle")]
[TestFixture(FatType.Fat12)]
[TestFixture(FatType.Fat16)]
[TestFixture(FatType.Fat32)]
public class FatImageOracleTests(FatType type)
{
    private string _dir = null!;
    private string _image = null!;
    private FatSample _sample = null!;
    private FatImageBuilder _builder = null!;

    [OneTimeSetUp]
    public void Build()
    {
        _dir = Directory.CreateTempSubdirectory("rescuekit-fat-").FullName;
        _sample = new FatSample(_dir);
        _builder = _sample.CreateBuilder(type);
        _image = Path.Combine(_dir, $"{type}.img");
        using (var f = File.Create(_image)) _builder.WriteTo(f);
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Image_has_the_requested_type_and_planned_size()
    {
        Assert.That(_builder.PlannedType, Is.EqualTo(type));
        Assert.That(new FileInfo(_image).Length, Is.EqualTo(_builder.PlannedSizeBytes));
    }

    [Test]
    public void Fsck_fat_finds_no_errors()
    {
        var r = ExternalTool.Run("fsck.fat", "dosfstools", ["-n", "-v", _image]);
        TestContext.Out.WriteLine(r.Stdout + r.Stderr);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stdout + r.Stderr);
        Assert.That(r.Stdout + r.Stderr, Does.Not.Contain("differ").IgnoreCase.And.Not.Contain("Warning").IgnoreCase);
    }

    [Test]
    public void Mdir_lists_long_and_short_names_in_nested_directories()
    {
        var listing = ExternalTool.RunOk("mdir", "mtools", ["-i", _image, "-/", "::"]);
        TestContext.Out.WriteLine(listing);
        Assert.Multiple(() =>
        {
            Assert.That(listing, Does.Contain("Volume in drive : is EFIBOOT"));
            Assert.That(listing, Does.Contain("Volume Serial Number is 1234-ABCD"));
            Assert.That(listing, Does.Match(@"ALONGF~1 TXT\s+6 2023-11-14\s+22:13\s+A long file name\.txt"));
            Assert.That(listing, Does.Match(@"LONGNA~1 TXT\s+4 .*Long Name One\.txt"));
            Assert.That(listing, Does.Match(@"LONGNA~2 TXT\s+4 .*Long Name Two\.txt"));
            Assert.That(listing, Does.Match(@"MIXEDC~1 TXT\s+6 .*Mixed Case Long File Name\.txt"));
            Assert.That(listing, Does.Match(@"BOOT\s+EFI\s+15 .*Boot\.efi"));
            Assert.That(listing, Does.Match(@"grub\s+cfg\s+27 "));
            Assert.That(listing, Does.Match(@"BOOTX64\s+EFI\s+200000 "));
            Assert.That(listing, Does.Match(@"big\s+bin\s+3145851 "));
            Assert.That(listing, Does.Match(@"empty\s+txt\s+0 "));
            Assert.That(listing, Does.Contain("Directory for ::/a/b/c"));
            Assert.That(listing, Does.Match(@"deep\s+txt\s+5 "));
            Assert.That(listing, Does.Contain("Directory for ::/EFI/BOOT"));
            Assert.That(listing, Does.Contain("Directory for ::/empty-dir"));
        });
    }

    [Test]
    public void Mcopy_round_trips_every_file_byte_exact()
    {
        var outDir = Path.Combine(_dir, $"out-{type}");
        Directory.CreateDirectory(outDir);
        foreach (var (path, content) in _sample.Files)
        {
            var target = Path.Combine(outDir, path.Replace('/', '_'));
            ExternalTool.RunOk("mcopy", "mtools", ["-n", "-i", _image, "::/" + path, target]);
            Assert.That(File.ReadAllBytes(target), Is.EqualTo(content), path);
        }
    }

    [Test]
    public void File_and_blkid_report_the_fat_type_label_and_serial()
    {
        var bits = type switch { FatType.Fat12 => "12", FatType.Fat16 => "16", _ => "32" };
        var file = ExternalTool.RunOk("file", "file", ["-b", _image]);
        Assert.That(file, Does.Contain($"FAT ({bits} bit)"));
        var blkid = ExternalTool.RunOk("blkid", "util-linux", ["-p", "-o", "export", _image]);
        Assert.That(blkid, Does.Contain("TYPE=vfat"));
        Assert.That(blkid, Does.Contain($"VERSION=FAT{bits}"));
        Assert.That(blkid, Does.Contain("LABEL=EFIBOOT"));
        Assert.That(blkid, Does.Contain("UUID=1234-ABCD"));
    }
}
