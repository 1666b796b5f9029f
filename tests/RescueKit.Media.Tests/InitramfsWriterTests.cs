using RescueKit.Formats.Cpio;
using RescueKit.Media.Rootfs;
using RescueKit.Tests.Shared;

namespace RescueKit.Media.Tests;

[Category("Oracle")]
public class InitramfsWriterTests
{
    private static RootfsManifest Sample(TempDirectory dir)
    {
        var manifest = new RootfsManifest();
        manifest.AddDirectory("etc");
        manifest.AddGenerated("init", "#!/bin/sh\necho hi\n", RescueKit.Core.UnixModes.Executable);
        manifest.AddGenerated("etc/rescuekit/rescue.conf", "RK_LABEL='X'\n");
        manifest.AddSymlink("bin/sh", "/usr/bin/busybox");
        manifest.AddDevice("dev/console", block: false, 5, 1);
        var big = dir.Combine("big.bin");
        File.WriteAllBytes(big, Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray());
        manifest.AddHostFile(big, "usr/lib/big.bin", dir.Path);
        return manifest;
    }

    [TestCase(InitramfsCompression.Gzip, "gzip")]
    [TestCase(InitramfsCompression.Zstd, "zstd")]
    public void CompressedArchive_IsListedByCpio_WithEveryEntryParentsFirst(InitramfsCompression compression, string decompressor)
    {
        using var dir = new TempDirectory();
        var manifest = Sample(dir);
        var image = dir.Combine("initrd.img");
        using (var f = File.Create(image))
            InitramfsWriter.Write(manifest, f, compression, mtime: 1_700_000_000, zstdLevel: 3);

        var raw = dir.Combine("initrd.cpio");
        var (dc, cpioBytes, err) = ExternalTool.Run("sh", "dash",
            ["-c", $"{decompressor} -dc '{image}' > '{raw}'"]);
        Assert.That(dc, Is.Zero, err);
        var (code, listing, stderr) = ExternalTool.Run("cpio", "cpio", ["-itv", "--quiet"], stdinFile: raw);
        Assert.That(code, Is.Zero, stderr);

        var names = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ToList();
        Assert.That(listing, Does.Contain("bin/sh -> /usr/bin/busybox"));
        Assert.That(listing, Does.Match(@"crw-------\s+1 root\s+root\s+5,\s+1 .* dev/console"));
        Assert.That(listing, Does.Match(@"-rwxr-xr-x .* init"));
        Assert.That(names, Does.Contain("usr/lib/big.bin"));
        var expected = manifest.Entries.Select(e => e.Path).ToList();
        Assert.That(names.Where(n => n != "->" && !n.StartsWith('/')).ToList(), Is.SupersetOf(expected.Where(p => !p.StartsWith("bin/sh"))));

        using var cpio = File.OpenRead(raw);
        var big = new NewcReader(cpio).ReadAll().Single(e => e.Entry.Name == "usr/lib/big.bin");
        Assert.That(big.Data, Is.EqualTo(File.ReadAllBytes(dir.Combine("big.bin"))));
        Assert.That(big.Entry.MTime, Is.EqualTo(1_700_000_000));
    }

    [Test]
    public void SameManifestAndTime_GiveIdenticalBytes()
    {
        using var dir = new TempDirectory();
        byte[] Build()
        {
            using var ms = new MemoryStream();
            InitramfsWriter.Write(Sample(dir), ms, InitramfsCompression.Zstd, 1_700_000_000, zstdLevel: 3);
            return ms.ToArray();
        }

        Assert.That(Build(), Is.EqualTo(Build()));
    }
}
