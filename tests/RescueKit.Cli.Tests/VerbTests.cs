using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

public class VerbTests
{
    [Test]
    public void Version_PrintsTheVersion()
    {
        var r = Rescuekit.Run("--version");

        Assert.That(r.ExitCode, Is.Zero);
        Assert.That(r.Stdout, Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [TestCase("mkrescue", "--serial-console")]
    [TestCase("mkiso", "--efi-boot")]
    [TestCase("restore", "--mode")]
    [TestCase("selftest", "--log-level")]
    [TestCase("mkrescue", "--http-url")]
    [TestCase("pxe list", "--root")]
    [TestCase("pxe config", "--interface")]
    public void EveryVerb_HasHelp(string verb, string anOption)
    {
        var r = Rescuekit.Run([.. verb.Split(' '), "--help"]);

        Assert.That(r.ExitCode, Is.Zero);
        Assert.That(r.Stdout, Does.Contain(anOption));
    }

    [Test]
    [Category("Oracle")]
    public void Mkiso_WritesADirectoryThatBsdtarExtractsIdentically_AndAJsonLog()
    {
        var dir = Directory.CreateTempSubdirectory("rk-mkiso-").FullName;
        try
        {
            var tree = Path.Combine(dir, "tree");
            Directory.CreateDirectory(Path.Combine(tree, "docs", "deep"));
            File.WriteAllText(Path.Combine(tree, "docs", "A Long Mixed-Case Name.txt"), "hello\n");
            File.WriteAllBytes(Path.Combine(tree, "docs", "deep", "data.bin"), Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray());
            File.CreateSymbolicLink(Path.Combine(tree, "docs", "link"), "deep/data.bin");
            var iso = Path.Combine(dir, "out.iso");
            var log = Path.Combine(dir, "log.json");

            var r = Rescuekit.Run("mkiso", tree, "--out", iso, "--label", "DOCS", "--log-file", log);

            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            var extracted = Path.Combine(dir, "x");
            Directory.CreateDirectory(extracted);
            ExternalTool.RunOk("bsdtar", "libarchive-tools", ["-x", "-f", iso, "-C", extracted]);
            Assert.That(File.ReadAllText(Path.Combine(extracted, "docs", "A Long Mixed-Case Name.txt")), Is.EqualTo("hello\n"));
            Assert.That(File.ReadAllBytes(Path.Combine(extracted, "docs", "deep", "data.bin")),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(tree, "docs", "deep", "data.bin"))));
            Assert.That(new FileInfo(Path.Combine(extracted, "docs", "link")).LinkTarget, Is.EqualTo("deep/data.bin"));
            var entry = File.ReadLines(log).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
                .Single(e => e.GetProperty("MessageTemplate").GetString()!.StartsWith("Wrote"));
            Assert.That(entry.GetProperty("Properties").GetProperty("Iso").GetString(), Is.EqualTo(iso));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
