using System.Text;
using RescueKit.Formats.Tar;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>Truncated, corrupt and unsupported archives: each is an InvalidDataException naming the offset and the problem.</summary>
public class PaxReaderBadInputTests
{
    /// <summary>One plain ustar member (whole-second mtime, short name: no extended header) and the end blocks.</summary>
    private static byte[] OneFile(int dataLength)
    {
        var entry = new TarEntry { Path = "file.bin"u8.ToArray(), Type = TarEntryType.Regular, Mode = 0x1A4, Size = dataLength, MtimeNanoseconds = 1_000_000_000 };
        return TarSample.Write([new TarSample.Member(entry, TarSample.Pattern(dataLength, 3))]);
    }

    /// <summary>Reads every member and its data, as a verifier does.</summary>
    private static void ReadToEnd(Stream input)
    {
        using var reader = new PaxReader(input);
        while (reader.ReadNext() is not null) reader.OpenData().CopyTo(Stream.Null);
    }

    private static InvalidDataException Fails(byte[] archive, bool seekable = true)
    {
        Stream input = seekable ? new MemoryStream(archive) : new NonSeekableStream(archive);
        return Assert.Throws<InvalidDataException>(() => ReadToEnd(input))!;
    }

    [Test]
    public void The_plain_archive_reads()
    {
        Assert.DoesNotThrow(() => ReadToEnd(new MemoryStream(OneFile(1000))));
        Assert.That(OneFile(1000), Has.Length.EqualTo(512 + 1024 + 1024)); // no 'x' header: nothing needs one
    }

    [Test]
    public void Truncated_inside_a_header_names_the_offset()
    {
        var ex = Fails(OneFile(1000)[..300]);
        Assert.That(ex.Message, Does.Contain("offset 300").And.Contain("inside a 512-byte block"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Truncated_inside_the_data_names_the_offset_and_member(bool seekable)
    {
        var ex = Fails(OneFile(1000)[..(512 + 700)], seekable);
        Assert.That(ex.Message, Does.Contain("offset 1212").And.Contain("file.bin").And.Contain("300 bytes missing"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Truncated_while_skipping_unread_data(bool seekable)
    {
        var archive = OneFile(100_000)[..(512 + 50_000)];
        Stream input = seekable ? new MemoryStream(archive) : new NonSeekableStream(archive);
        using var reader = new PaxReader(input);
        Assert.That(reader.ReadNext(), Is.Not.Null);
        var ex = Assert.Throws<InvalidDataException>(() => reader.ReadNext());
        Assert.That(ex!.Message, Does.Contain("offset 50512").And.Contain("member data"));
    }

    [Test]
    public void Missing_end_of_archive_blocks_is_truncation()
    {
        var ex = Fails(OneFile(1000)[..(512 + 1024)]);
        Assert.That(ex.Message, Does.Contain("offset 1536").And.Contain("end-of-archive"));
    }

    [Test]
    public void A_zeroed_header_is_not_taken_for_the_end()
    {
        var two = TarSample.Write([new TarSample.Member(new TarEntry { Path = "a"u8.ToArray(), Type = TarEntryType.Directory, MtimeNanoseconds = 1_000_000_000 }, null),
                                   new TarSample.Member(new TarEntry { Path = "b"u8.ToArray(), Type = TarEntryType.Directory, MtimeNanoseconds = 1_000_000_000 }, null)]);
        Array.Clear(two, 0, 512);
        var ex = Fails(two);
        Assert.That(ex.Message, Does.Contain("offset 0").And.Contain("zero block where a header belongs"));
    }

    [Test]
    public void A_corrupt_header_fails_its_checksum()
    {
        var archive = TarSample.Write(TarSample.Build());
        // Corrupt the second member's ustar header (the first is "./" alone, its 'x' header carries the mtime).
        var second = 512 + 512 + 512;
        Assert.That(archive[second + 156], Is.EqualTo((byte)'x'));
        archive[second + 10] ^= 0x20;
        var ex = Fails(archive);
        Assert.That(ex.Message, Does.Contain($"offset {second}").And.Contain("checksum"));
    }

    [Test]
    public void Not_a_tar_archive()
    {
        var ex = Fails(TarSample.Pattern(4096, 9));
        Assert.That(ex.Message, Does.Contain("offset 0").And.Contain("checksum").And.Contain("not a tar archive"));
    }

    [Test]
    public void A_compressed_archive_is_named_as_such()
    {
        var compressed = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(OneFile(1000));
        var ex = Fails(compressed.ToArray());
        Assert.That(ex.Message, Does.Contain("offset 0").And.Contain("gzip data: decompress it first"));
    }

    [Test]
    public void A_bad_pax_record_names_its_offset()
    {
        var archive = TarSample.Write([TarSample.File("a", "x"u8.ToArray(), 0x1A4)]);
        // The first record is "30 mtime=1700000000.123456789\n"; make its length run past the header data.
        Assert.That(Encoding.ASCII.GetString(archive, 512, 9), Is.EqualTo("30 mtime="));
        archive[512] = (byte)'9';
        FixChecksum(archive, 0);
        var ex = Fails(archive);
        Assert.That(ex.Message, Does.Contain("pax record at offset 512").And.Contain("length 90"));
    }

    [Test]
    public void A_sparse_map_that_disagrees_with_the_data_is_corrupt()
    {
        var sparse = TarSample.Build().Single(m => m.Entry.SparseMap is not null);
        var archive = TarSample.Write([sparse]);
        int map = Encoding.ASCII.GetString(archive).IndexOf("3\n0\n4096\n", StringComparison.Ordinal);
        archive[map + 4] = (byte)'5'; // first segment 5096 bytes long
        var ex = Fails(archive);
        Assert.That(ex.Message, Does.Contain("offset 1024").And.Contain("sparse map covers 13288 bytes but the member stores 12288"));
    }

    [Test]
    public void Gnu_old_sparse_members_are_refused_by_name()
    {
        var dir = Directory.CreateTempSubdirectory("rescuekit-pax-gnu-").FullName;
        try
        {
            var file = Path.Combine(dir, "holes");
            using (var f = File.Create(file))
            {
                f.SetLength(1 << 20);
                f.Write(TarSample.Pattern(4096, 1));
            }
            var archive = Path.Combine(dir, "gnu.tar");
            ExternalTool.RunOk("tar", "tar", ["--format=gnu", "-S", "-cf", archive, "-C", dir, "holes"]);
            var ex = Fails(File.ReadAllBytes(archive));
            Assert.That(ex.Message, Does.Contain("offset 0").And.Contain("typeflag 'S'"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void FixChecksum(byte[] archive, int header)
    {
        var block = archive.AsSpan(header, UstarLayout.BlockSize);
        UstarHeader.WriteChecksum(block);
    }

    /// <summary>A pipe-like input: no Length, no Seek.</summary>
    internal sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 777));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
