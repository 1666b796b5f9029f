using RescueKit.Media;
using System.Buffers.Binary;
using System.Text.RegularExpressions;
using NUnit.Framework;
using RescueKit.Formats.Iso9660;
using RescueKit.Tests.Shared;
using static RescueKit.Formats.Tests.Iso9660.OracleReport;

namespace RescueKit.Formats.Tests.Iso9660;

/// <summary>
/// Builds a hybrid BIOS+UEFI image from a host tree with every awkward case (long and mixed-case names, a 200-char
/// name, symlinks, devices, setuid, owners, 12 levels, empty files and dirs) and checks it with xorriso, isoinfo,
/// bsdtar, fdisk and sgdisk.
/// </summary>
[Category("Oracle")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class IsoOracleTests
{
    private const string Isolinux = "/usr/lib/ISOLINUX/isolinux.bin";
    private const string IsohdPfx = "/usr/lib/ISOLINUX/isohdpfx.bin";
    private static readonly string LongName = "A Very Long Mixed-Case Name " + new string('x', 200 - 28 - 4) + ".txt";

    private string work = null!;
    private string tree = null!;
    private string iso = null!;

    [OneTimeSetUp]
    public void BuildImage()
    {
        Assert.That(File.Exists(Isolinux) && File.Exists(IsohdPfx), Is.True, "ISOLINUX files missing: apt-get install isolinux");
        Assert.That(Environment.IsPrivilegedProcess, Is.True, "the oracle tree needs root (mknod, chown, bsdtar -p restoring owners)");
        work = Directory.CreateTempSubdirectory("rk-iso-oracle-").FullName;
        tree = Path.Combine(work, "tree");
        iso = Path.Combine(work, "out.iso");
        MakeTree(tree);
        Build(tree, iso);
    }

    [OneTimeTearDown]
    public void Cleanup() => Directory.Delete(work, recursive: true);

    private static void MakeTree(string root)
    {
        string P(string rel) => Path.Combine(root, rel);
        foreach (var d in new[] { "isolinux", "boot/grub", "docs", "dev", "empty-dir", "bin" }) Directory.CreateDirectory(P(d));
        File.Copy(Isolinux, P("isolinux/isolinux.bin"));
        ExternalTool.RunOk("mkfs.fat", "dosfstools", ["-C", P("boot/grub/efiboot.img"), "2880"]);
        File.WriteAllBytes(P("boot/vmlinuz"), Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31 >> 3)).ToArray());
        File.WriteAllText(P("docs/Mixed Case Long File Name.txt"), "mixed\n");
        File.WriteAllText(P("docs/mixed case long file name.TXT"), "collides in 8.3\n");
        File.WriteAllText(P("docs/" + LongName), "two hundred\n");
        File.WriteAllBytes(P("docs/empty-file"), []);
        File.CreateSymbolicLink(P("docs/kernel-link"), "../boot/vmlinuz");
        File.CreateSymbolicLink(P("docs/absolute-link"), "/usr/lib/os-release");
        File.WriteAllText(P("bin/private"), "0700\n");
        File.WriteAllText(P("bin/setuid-tool"), "04755\n");
        File.WriteAllText(P("bin/plain"), "0644\n");
        var deep = string.Join('/', Enumerable.Range(1, 12).Select(i => $"level{i:D2}"));
        Directory.CreateDirectory(P(deep));
        File.WriteAllText(P(deep + "/bottom.txt"), "twelve levels down\n");
        File.WriteAllBytes(P(deep + "/empty"), []);
        ExternalTool.RunOk("mknod", "coreutils", ["-m", "0620", P("dev/tty-like"), "c", "4", "64"]);
        ExternalTool.RunOk("mknod", "coreutils", ["-m", "0660", P("dev/disk-like"), "b", "8", "17"]);
        File.SetUnixFileMode(P("bin/private"), (UnixFileMode)Convert.ToInt32("700", 8));
        File.SetUnixFileMode(P("bin/setuid-tool"), (UnixFileMode)Convert.ToInt32("4755", 8));
        File.SetUnixFileMode(P("bin/plain"), (UnixFileMode)Convert.ToInt32("644", 8));
        File.SetUnixFileMode(P("empty-dir"), (UnixFileMode)Convert.ToInt32("750", 8));
        ExternalTool.RunOk("chown", "coreutils", ["-h", "1234:5678", P("bin/setuid-tool"), P("docs/kernel-link"), P("empty-dir"), P("dev/tty-like")]);
        File.SetUnixFileMode(P("bin/setuid-tool"), (UnixFileMode)Convert.ToInt32("4755", 8)); // chown clears setuid
        ExternalTool.RunOk("find", "findutils", [root, "-exec", "touch", "-h", "-d", "@1700000000", "{}", "+"]);
        ExternalTool.RunOk("touch", "coreutils", ["-h", "-d", "@1600000000", P("docs/kernel-link"), P("bin/plain"), P(deep)]);
    }

    private static IsoBuilder NewBuilder(string root)
    {
        var b = new IsoBuilder(new IsoOptions
        {
            VolumeIdentifier = "RK_ORACLE", Timestamp = DateTimeOffset.FromUnixTimeSeconds(1700000000), Publisher = "RescueKit tests",
        });
        b.AddHostTree(root);
        b.Boot = new ElToritoOptions
        {
            BiosBootImage = "isolinux/isolinux.bin", EfiBootImage = "boot/grub/efiboot.img", HybridMbr = File.ReadAllBytes(IsohdPfx),
        };
        return b;
    }

    private static void Build(string root, string path) => NewBuilder(root).WriteTo(path);

    private string XorrisoReport() =>
        Squeeze(Report("xorriso", "xorriso", ["-indev", iso, "-report_el_torito", "plain", "-report_system_area", "plain"]));

    private static int Number(string text, string pattern) => int.Parse(Regex.Match(text, pattern, RegexOptions.Multiline).Groups[1].Value);

    [Test]
    public void XorrisoSeesBothBootEntriesAndTheHybridTables()
    {
        var r = XorrisoReport();
        var sectors = new FileInfo(iso).Length / 512;
        var efiLba = Number(r, @"^El Torito boot img : 2 UEFI y none 0x0000 0x00 5760 (\d+)$");
        Assert.Multiple(() =>
        {
            Assert.That(r, Does.Contain("Boot record : El Torito , MBR isohybrid cyl-align-on GPT"));
            Assert.That(r, Does.Contain("Volume id : 'RK_ORACLE'"));
            Assert.That(r, Does.Contain("El Torito cat path : /isolinux/boot.cat"));
            Assert.That(r, Does.Match(@"El Torito boot img : 1 BIOS y none 0x0000 0x00 4 \d+"));
            Assert.That(r, Does.Contain("El Torito img path : 1 /isolinux/isolinux.bin"));
            Assert.That(r, Does.Contain("El Torito img opts : 1 boot-info-table isohybrid-suitable"));
            Assert.That(r, Does.Contain("El Torito img path : 2 /boot/grub/efiboot.img"));
            Assert.That(r, Does.Contain($"ISO image size/512 : {sectors}"));
            Assert.That(r, Does.Contain($"MBR partition : 1 0x80 0x00 0 {sectors}"));
            Assert.That(r, Does.Contain($"MBR partition : 2 0x00 0xef {efiLba * 4} 5760"));
            Assert.That(r, Does.Contain($"GPT lba range : 64 {sectors - 64} {sectors - 1}"));
            Assert.That(r, Does.Contain("GPT entry array : 2 248 overlapping"));
            Assert.That(r, Does.Contain("GPT partname local : 1 ISOHybrid"));
            Assert.That(r, Does.Contain($"GPT start and size : 1 0 {sectors - 64}"));
            Assert.That(r, Does.Contain("GPT partname local : 2 ISOHybrid1"));
            Assert.That(r, Does.Contain($"GPT start and size : 2 {efiLba * 4} 5760"));
            Assert.That(r, Does.Contain("GPT partition flags: 2 0x1000000000000001"));
            Assert.That(sectors % 2048, Is.EqualTo(0), "whole MiB");
        });
    }

    [Test]
    public void IsoinfoFindsJolietRockRidgeAndTheBootEntry()
    {
        var r = Report("isoinfo", "genisoimage", ["-d", "-R", "-J", "-i", iso]);
        var biosLba = Number(XorrisoReport(), @"^El Torito boot img : 1 BIOS y none 0x0000 0x00 4 (\d+)$");
        Assert.Multiple(() =>
        {
            Assert.That(r, Does.Contain("Volume id: RK_ORACLE"));
            Assert.That(r, Does.Contain("Publisher id: RESCUEKIT TESTS"));
            Assert.That(r, Does.Contain("Joliet with UCS level 3 found"));
            Assert.That(r, Does.Contain("Rock Ridge signatures version 1 found"));
            Assert.That(r, Does.Contain("Nsect 4"));
            Assert.That(r, Does.Contain($"Bootoff {biosLba:X} {biosLba}"));
        });
    }

    [Test]
    public void IsoinfoListsRockRidgeNamesModesAndLinks()
    {
        // isoinfo shows neither set-id bits nor owners above 255 correctly (it does the same on xorriso's images),
        // so those are checked with xorriso below.
        var r = Squeeze(Report("isoinfo", "genisoimage", ["-l", "-R", "-i", iso]));
        Assert.Multiple(() =>
        {
            Assert.That(r, Does.Contain(LongName));
            Assert.That(r, Does.Match(@"lrwxrwxrwx 1 \d+ \d+ 0 .* kernel-link -> \.\./boot/vmlinuz"));
            Assert.That(r, Does.Contain("absolute-link -> /usr/lib/os-release"));
            Assert.That(r, Does.Match(@"-rwx------ 1 0 0 5 .* private"));
            Assert.That(r, Does.Match(@"-rw-r--r-- 1 0 0 5 Sep 13 2020 .* plain"));
            Assert.That(r, Does.Match(@"brw-rw---- 1 0 0 0 .* disk-like"));
            Assert.That(r, Does.Match(@"-rw-r--r-- 1 0 0 0 .* empty-file"));
            Assert.That(r, Does.Contain("Directory listing of /level01/level02/level03/level04/level05/level06/level07/level08/level09/level10/level11/level12/"));
        });
        var joliet = Report("isoinfo", "genisoimage", ["-f", "-J", "-i", iso]);
        Assert.That(joliet, Does.Contain("/docs/Mixed Case Long File Name.txt"));
        Assert.That(joliet, Does.Contain("/docs/" + LongName[..60] + ".txt\n"), "Joliet names are cut to 64 characters");
        Assert.That(joliet, Does.Not.Contain("kernel-link"), "symlinks have no Joliet form");
        Assert.That(joliet, Does.Not.Contain("tty-like"), "devices have no Joliet form");
        var plain = Report("isoinfo", "genisoimage", ["-f", "-i", iso]);
        Assert.That(plain, Does.Contain("/DOCS/MIXED_CA.TXT;1").And.Contain("/DOCS/MIXED000.TXT;1"));
    }

    [Test]
    public void XorrisoReadsOwnersSetIdBitsAndDeviceNumbers()
    {
        var r = Squeeze(Report("xorriso", "xorriso", ["-indev", iso, "-lsdl", "/bin/setuid-tool", "/empty-dir", "/docs/kernel-link", "/dev/tty-like", "--"]));
        Assert.Multiple(() =>
        {
            Assert.That(r, Does.Match(@"-rwsr-xr-x 1 1234 5678 6 .* '/bin/setuid-tool'"));
            Assert.That(r, Does.Match(@"drwxr-x--- \d+ 1234 5678 .* '/empty-dir'"));
            Assert.That(r, Does.Match(@"lrwxrwxrwx 1 1234 5678 .* '/docs/kernel-link' -> '\.\./boot/vmlinuz'"));
            Assert.That(r, Does.Match(@"crw--w---- 1 1234 5678 4,64 .* '/dev/tty-like'"));
        });
    }

    [Test]
    public void IsovfyFindsNoStructuralErrors() =>
        Assert.That(Report("isovfy", "genisoimage", [iso]), Does.Contain("No errors found"));

    [Test]
    public void BsdtarExtractsTheSourceTreeExactly()
    {
        var target = Path.Combine(work, "extracted");
        Directory.CreateDirectory(target);
        // The catalog exists only in the image; exclude it rather than delete it, which would change the dir's mtime.
        ExternalTool.RunOk("bsdtar", "libarchive-tools", ["-xpf", iso, "--numeric-owner", "--exclude", "isolinux/boot.cat", "-C", target]);

        Assert.That(Listing(target), Is.EqualTo(Listing(tree)));
        foreach (var file in Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(tree, file);
            if (new FileInfo(file).LinkTarget is not null || rel.StartsWith("dev/")) continue;
            var expected = File.ReadAllBytes(file);
            var actual = File.ReadAllBytes(Path.Combine(target, rel));
            if (rel == "isolinux/isolinux.bin")
            {
                // Only the boot-info-table (bytes 8..63) differs from the source.
                expected.AsSpan(8, 56).Clear();
                actual.AsSpan(8, 56).Clear();
            }
            Assert.That(actual, Is.EqualTo(expected), rel);
        }
    }

    /// <summary>Path, type, mode, owner, mtime, link target and device numbers of every entry, via find(1).</summary>
    private static string[] Listing(string root) =>
        Report("find", "findutils", [root, "-mindepth", "1", "-printf", "%P|%y|%#m|%U|%G|%T@|%l|%D\n"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l[..l.LastIndexOf('|')] + "|" + DeviceNumbers(Path.Combine(root, l[..l.IndexOf('|')])))
            .Order(StringComparer.Ordinal).ToArray();

    private static string DeviceNumbers(string path)
    {
        var kind = Report("stat", "coreutils", ["-c", "%F|%t|%T", path]).Trim();
        return kind.Contains("special") ? kind : "";
    }

    [Test]
    public void FdiskSeesTheIsohybridMbr()
    {
        var r = Squeeze(Report("fdisk", "fdisk", ["-l", iso]));
        var sectors = new FileInfo(iso).Length / 512;
        var efiLba = Number(XorrisoReport(), @"^El Torito boot img : 2 UEFI y none 0x0000 0x00 5760 (\d+)$");
        Assert.Multiple(() =>
        {
            Assert.That(r, Does.Contain("Disklabel type: dos"));
            Assert.That(r, Does.Match($@"out\.iso1 \* 0 {sectors - 1} {sectors} \S+ 0 Empty"));
            Assert.That(r, Does.Match($@"out\.iso2 {efiLba * 4} {efiLba * 4 + 5759} 5760 2\.8M ef EFI"));
        });
    }

    [Test]
    public void SgdiskFindsOnlyTheOverlapsThisLayoutHasByDesign()
    {
        var v = Report("sgdisk", "gdisk", ["-v", iso], null, 2);
        Assert.Multiple(() =>
        {
            Assert.That(v, Does.Contain("Problem: MBR partitions 1 and 2 overlap!"));
            Assert.That(v, Does.Contain("Main partition table overlaps the first partition by 64 blocks!"));
            Assert.That(v, Does.Contain("Identified 2 problems!"), "no CRC, header or size problems");
        });
        var sectors = new FileInfo(iso).Length / 512;
        var efiLba = Number(XorrisoReport(), @"^El Torito boot img : 2 UEFI y none 0x0000 0x00 5760 (\d+)$");
        var l = Squeeze(Report("gdisk", "gdisk", ["-l", iso], "2\n", 2));
        Assert.Multiple(() =>
        {
            Assert.That(l, Does.Contain("Partition table holds up to 248 entries"));
            Assert.That(l, Does.Contain($"First usable sector is 64, last usable sector is {sectors - 64}"));
            Assert.That(l, Does.Contain($"2 {efiLba * 4} {efiLba * 4 + 5759} 2.8 MiB 0700 ISOHybrid1"));
        });
    }

    [Test]
    public void BootInfoTableDescribesTheWrittenIsolinux()
    {
        var biosLba = Number(XorrisoReport(), @"^El Torito boot img : 1 BIOS y none 0x0000 0x00 4 (\d+)$");
        var source = File.ReadAllBytes(Isolinux);
        var copy = new byte[source.Length];
        using (var f = File.OpenRead(iso)) { f.Position = (long)biosLba * 2048; f.ReadExactly(copy); }
        uint sum = 0;
        for (var i = 64; i + 4 <= source.Length; i += 4) sum += BinaryPrimitives.ReadUInt32LittleEndian(source.AsSpan(i));
        Assert.That(source.Length % 4, Is.EqualTo(0));
        Assert.Multiple(() =>
        {
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(8)), Is.EqualTo(16u));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(12)), Is.EqualTo((uint)biosLba));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(16)), Is.EqualTo((uint)source.Length));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(20)), Is.EqualTo(sum));
            Assert.That(File.ReadAllBytes(Isolinux), Is.EqualTo(source), "source untouched");
        });
    }

    [Test]
    public void TwoBuildsOfTheSameTreeAreIdentical()
    {
        var second = Path.Combine(work, "second.iso");
        Build(tree, second);
        Assert.That(File.ReadAllBytes(second), Is.EqualTo(File.ReadAllBytes(iso)));
    }
}
