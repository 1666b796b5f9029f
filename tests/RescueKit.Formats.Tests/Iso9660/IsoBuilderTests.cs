using NUnit.Framework;
using RescueKit.Formats.Iso9660;
using static RescueKit.Formats.Tests.Iso9660.IsoTestImages;

namespace RescueKit.Formats.Tests.Iso9660;

public class IsoBuilderTests
{
    /// <summary>Random trees: deep and wide directories, long names (continuation areas), symlinks, devices, files.</summary>
    private static IsoBuilder RandomTree(int seed)
    {
        var rng = new Random(seed);
        var b = NewBuilder();
        var dirs = new List<string> { "" };
        for (var i = 0; i < 400; i++)
        {
            var parent = dirs[rng.Next(dirs.Count)];
            var name = RandomName(rng, i);
            var path = parent.Length == 0 ? name : parent + "/" + name;
            switch (rng.Next(6))
            {
                case 0: b.AddDirectory(path, Meta("755", rng.Next(3), rng.Next(3))); dirs.Add(path); break;
                case 1: b.AddSymlink(path, new string('t', rng.Next(1, 600)) + "/x", Meta("777")); break;
                case 2: b.AddDevice(path, rng.Next(2) == 0, rng.Next(300), rng.Next(300), Meta("600")); break;
                default: b.AddFile(path, new byte[rng.Next(0, 9000)], Meta("644")); break;
            }
        }
        return b;
    }

    private static string RandomName(Random rng, int i)
    {
        const string chars = "abcDEF-_. xyz0123";
        var len = rng.Next(1, rng.Next(4) == 0 ? 250 : 20);
        var name = new string(Enumerable.Range(0, len).Select(_ => chars[rng.Next(chars.Length)]).ToArray()).Trim('.', ' ');
        return (name.Length == 0 ? "n" : name) + i;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void WrittenLengthEqualsPlannedLength(int seed)
    {
        var b = RandomTree(seed);
        var planned = b.PlannedSize;
        Assert.That(Build(b).LongLength, Is.EqualTo(planned));
    }

    [Test]
    public void NonSeekableOutputGetsTheSameBytes()
    {
        var b = BootableBuilder(FakeIsolinux());
        var seekable = Build(b);
        using var ms = new MemoryStream();
        b.WriteTo(new ForwardOnlyStream(ms));
        Assert.That(ms.ToArray(), Is.EqualTo(seekable));
    }

    [Test]
    public void TwoBuildsAreByteIdentical()
    {
        var first = Build(BootableBuilder(FakeIsolinux()));
        var second = Build(BootableBuilder(FakeIsolinux()));
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void DifferentTimestampGivesDifferentDiskIdentifiers()
    {
        var a = Build(BootableBuilder(FakeIsolinux()));
        var other = new IsoBuilder(new IsoOptions { VolumeIdentifier = "TEST_ISO", Timestamp = Stamp.AddSeconds(1) });
        other.AddFile("isolinux/isolinux.bin", FakeIsolinux(), Meta("444"));
        other.Boot = new ElToritoOptions { BiosBootImage = "isolinux/isolinux.bin", HybridMbr = new byte[432] };
        var b = Build(other);
        Assert.That(b.AsSpan(440, 4).SequenceEqual(a.AsSpan(440, 4)), Is.False);
    }

    [Test]
    public void ReplanningAfterAChangeKeepsOneBootCatalog()
    {
        var b = BootableBuilder(FakeIsolinux());
        var before = b.PlannedSize;
        b.AddFile("later.txt", new byte[10], Meta("644"));
        Assert.That(b.PlannedSize, Is.EqualTo(before));
        Assert.DoesNotThrow(() => Build(b));
    }

    [Test]
    public void EmptyTreeIsAValidImage()
    {
        var image = Build(NewBuilder());
        // 16 system area + PVD, SVD, VDST + ISO root + its CE block (the ER) + 2 path tables + Joliet root + 2 path tables.
        Assert.That(image.Length, Is.EqualTo(26 * 2048));
    }

    [Test]
    public void AddingAtTheCatalogPathAfterPlanningWorksAndThenConflicts()
    {
        var b = BootableBuilder(FakeIsolinux());
        b.Plan();
        b.AddFile("isolinux/boot.cat", new byte[1], Meta("644"));
        Assert.Throws<ArgumentException>(() => b.Plan(), "the catalog path is now taken by the caller");
    }

    [TestCase("")]
    [TestCase("lower")]
    [TestCase("WITH SPACE")]
    [TestCase("THIS_VOLUME_IDENTIFIER_IS_TOO_LONG")]
    public void BadVolumeIdentifierIsRejected(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => NewBuilder(id));
        Assert.That(ex!.Message, Does.Contain("VolumeIdentifier"));
    }

    [Test]
    public void BadInputIsRejectedBeforeWriting()
    {
        var b = NewBuilder();
        b.AddFile("a", new byte[1], Meta("644"));
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => b.AddFile("a", new byte[1], Meta("644")), "duplicate");
            Assert.Throws<ArgumentException>(() => b.AddFile("a/b", new byte[1], Meta("644")), "file used as directory");
            Assert.Throws<ArgumentException>(() => b.AddFile("x/../y", new byte[1], Meta("644")), "dot-dot component");
            Assert.Throws<ArgumentException>(() => b.AddFile(new string('n', 256), new byte[1], Meta("644")), "NAME_MAX");
            Assert.Throws<ArgumentException>(() => b.AddFile("m", new byte[1], Meta("10000")), "mode beyond 07777");
            Assert.Throws<ArgumentException>(() => b.AddSymlink("s", new string('t', 1025), Meta("777")), "target too long");
            Assert.Throws<ArgumentException>(() => b.AddFile("old", new byte[1], new UnixMetadata(420, 0, 0, new DateTimeOffset(1899, 1, 1, 0, 0, 0, TimeSpan.Zero))));
        });
    }

    [Test]
    public void BootSetupErrorsSurfaceAtPlanTime()
    {
        var b = NewBuilder();
        b.AddFile("isolinux/isolinux.bin", FakeIsolinux(), Meta("444"));
        b.Boot = new ElToritoOptions { BiosBootImage = "isolinux/missing.bin" };
        Assert.Throws<ArgumentException>(() => b.Plan());
        b.Boot = new ElToritoOptions { BiosBootImage = "isolinux/isolinux.bin", HybridMbr = new byte[100] };
        Assert.Throws<ArgumentException>(() => b.Plan());
        b.Boot = new ElToritoOptions { EfiBootImage = "isolinux/isolinux.bin", HybridMbr = new byte[432] };
        Assert.Throws<ArgumentException>(() => b.Plan(), "hybrid MBR without a BIOS image");
        b.Boot = new ElToritoOptions { BiosBootImage = "isolinux/isolinux.bin", BootCatalog = "isolinux/isolinux.bin" };
        Assert.Throws<ArgumentException>(() => b.Plan(), "catalog path taken");
    }

    [Test]
    public void WithoutBootInfoTableTheBootImageIsCopiedVerbatim()
    {
        var isolinux = FakeIsolinux();
        var b = NewBuilder();
        b.AddFile("isolinux/isolinux.bin", isolinux, Meta("444"));
        b.Boot = new ElToritoOptions { BiosBootImage = "isolinux/isolinux.bin", BootInfoTable = false };
        var image = Build(b);
        var catalogLba = BitConverter.ToUInt32(image, 17 * 2048 + 71);
        var lba = BitConverter.ToInt32(image, (int)catalogLba * 2048 + 40);
        Assert.That(image.AsSpan(lba * 2048, isolinux.Length).SequenceEqual(isolinux), Is.True);
    }

    [Test]
    public void NonHybridIsolinuxIsRefusedForAHybridImage()
    {
        var b = BootableBuilder(new byte[4096]);
        Assert.Throws<InvalidDataException>(() => Build(b));
    }

    [Test]
    public void FailedWriteLeavesNoFileBehind()
    {
        var dir = Directory.CreateTempSubdirectory("rk-iso-").FullName;
        try
        {
            var host = Path.Combine(dir, "content.bin");
            File.WriteAllBytes(host, new byte[5000]);
            var b = NewBuilder();
            b.AddFile("content.bin", host, Meta("644"));
            b.Plan();
            File.WriteAllBytes(host, new byte[10]); // changes size between planning and writing
            var iso = Path.Combine(dir, "out.iso");
            Assert.Throws<IOException>(() => b.WriteTo(iso));
            Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "content.bin" }));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void WriteToPathRenamesOnSuccessAndMatchesTheStream()
    {
        var dir = Directory.CreateTempSubdirectory("rk-iso-").FullName;
        try
        {
            var iso = Path.Combine(dir, "out.iso");
            var b = BootableBuilder(FakeIsolinux());
            b.WriteTo(iso);
            Assert.That(File.ReadAllBytes(iso), Is.EqualTo(Build(b)));
            Assert.That(File.Exists(iso + ".tmp"), Is.False);
        }
        finally { Directory.Delete(dir, true); }
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
