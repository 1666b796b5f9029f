using System.Text.RegularExpressions;
using NUnit.Framework;
using RescueKit.Formats.Elf;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Elf;

/// <summary>Compares the reader with binutils' readelf on real files of this host.</summary>
[Category("Oracle")]
public partial class ElfReaderOracleTests
{
    private static string ModulePath => $"{RescueKit.Tests.Shared.InstalledKernel.ModulesDirectory}/kernel/fs/ext4/ext4.ko";

    private static IEnumerable<string> RealFiles() =>
    [
        "/bin/ls",
        "/usr/bin/busybox",
        "/usr/lib/x86_64-linux-gnu/libz.so.1",
        "/usr/lib/x86_64-linux-gnu/libc.so.6",
        "/usr/bin/apropos", // carries DT_RUNPATH /usr/lib/man-db
        ModulePath,
    ];

    [TestCaseSource(nameof(RealFiles))]
    public void Read_MatchesReadelf(string path)
    {
        Assert.That(File.Exists(path), $"{path} is expected on this host");
        var output = Readelf("-d", "-l", "-W", path);

        var info = ElfReader.Read(File.OpenRead(path));

        Assert.That(info.Interpreter, Is.EqualTo(Interpreter().Match(output) is { Success: true } m ? m.Groups[1].Value : null));
        Assert.That(info.Needed, Is.EqualTo(Tag(output, "NEEDED", "Shared library")));
        Assert.That(info.RunPath, Is.EqualTo(Tag(output, "RUNPATH", "Library runpath").SelectMany(p => p.Split(':'))));
        Assert.That(info.RPath, Is.EqualTo(Tag(output, "RPATH", "Library rpath").SelectMany(p => p.Split(':'))));
        Assert.That(info.Soname, Is.EqualTo(Tag(output, "SONAME", "Library soname").SingleOrDefault()));
        Assert.That(info.IsDynamic, Is.EqualTo(!output.Contains("There is no dynamic section")));
    }

    [Test]
    public void Read_StaticBusybox_IsNotDynamic()
    {
        var info = ElfReader.Read(File.OpenRead("/usr/bin/busybox"));
        Assert.That(info.IsDynamic, Is.False, "busybox-static is expected at /usr/bin/busybox");
        Assert.That(info.Interpreter, Is.Null);
    }

    [Test]
    public void ReadModInfo_MatchesReadelfStringDump()
    {
        var expected = Readelf("-p", ".modinfo", "-W", ModulePath).Split('\n')
            .Select(l => StringDumpLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

        var entries = ElfReader.ReadModInfo(ModulePath);

        Assert.That(entries.Select(e => $"{e.Key}={e.Value}"), Is.EqualTo(expected));
        Assert.That(entries, Does.Contain(new KeyValuePair<string, string>("name", "ext4")));
        Assert.That(entries, Does.Contain(new KeyValuePair<string, string>("softdep", "pre: crypto-crc32c")));
        Assert.That(entries.Single(e => e.Key == "depends").Value.Split(','), Is.EquivalentTo(new[] { "mbcache", "jbd2", "crc16" }));
    }

    private static IEnumerable<string> Tag(string output, string tag, string label) =>
        output.Split('\n').Where(l => l.Contains($"({tag})")).Select(l => Regex.Match(l, Regex.Escape(label) + @": \[(.*)\]").Groups[1].Value);

    private static string Readelf(params string[] args) => ExternalTool.RunOk("readelf", "binutils", args);

    [GeneratedRegex(@"Requesting program interpreter: (.*)\]")]
    private static partial Regex Interpreter();

    [GeneratedRegex(@"^\s*\[\s*[0-9a-f]+\]\s\s(.*)$")]
    private static partial Regex StringDumpLine();
}
