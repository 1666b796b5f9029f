using System.Text;
using RescueKit.Formats.Tar;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>PaxWriter's contract: data length checks, refused entries, streaming, members of 8 GiB and more.</summary>
public class PaxWriterTests
{
    private static TarEntry Regular(string path, long size) =>
        new() { Path = Encoding.UTF8.GetBytes(path), Type = TarEntryType.Regular, Mode = 0x1A4, Size = size, MtimeNanoseconds = 1_000_000_000 };

    [Test]
    public void A_short_stream_is_zero_padded_then_reported_and_the_archive_stays_valid()
    {
        var ms = new MemoryStream();
        using (var w = new PaxWriter(ms, leaveOpen: true))
        {
            var ex = Assert.Throws<TarDataLengthException>(() => w.WriteEntry(Regular("shrank", 1000), new MemoryStream(new byte[600])));
            Assert.That(ex!.Message, Does.Contain("shrank").And.Contain("600 of the 1000"));
            Assert.That((ex.Grew, ex.Actual, ex.Expected), Is.EqualTo((false, 600L, 1000L)));
            w.WriteEntry(Regular("next", 3), new MemoryStream("abc"u8.ToArray()));
        }
        var back = PaxRoundTripTests.ReadAll(ms.ToArray());
        Assert.That(back.Select(b => Encoding.UTF8.GetString(b.Entry.Path)), Is.EqualTo(new[] { "shrank", "next" }));
        Assert.That(back[0].Data, Has.Length.EqualTo(1000));
        Assert.That(back[1].Data, Is.EqualTo("abc"u8.ToArray()));
    }

    [Test]
    public void A_long_stream_is_cut_then_reported()
    {
        var ms = new MemoryStream();
        using (var w = new PaxWriter(ms, leaveOpen: true))
        {
            var ex = Assert.Throws<TarDataLengthException>(() => w.WriteEntry(Regular("grew", 10), new MemoryStream(TarSample.Pattern(11, 1))));
            Assert.That(ex!.Grew, Is.True);
            Assert.That(ex.Message, Does.Contain("more than the 10 bytes"));
        }
        var back = PaxRoundTripTests.ReadAll(ms.ToArray());
        Assert.That(back.Single().Data, Is.EqualTo(TarSample.Pattern(11, 1)[..10]));
    }

    private static IEnumerable<TestCaseData> RefusedEntries()
    {
        TarEntry E(TarEntryType t, string path = "x", uint mode = 0x1A4, long size = 0, byte[]? link = null) =>
            new() { Path = Encoding.UTF8.GetBytes(path), Type = t, Mode = mode, Size = size, LinkName = link };
        yield return new TestCaseData(E(TarEntryType.Regular, ""), "empty").SetName("Empty path");
        yield return new TestCaseData(E(TarEntryType.Regular, "/etc/passwd"), "absolute").SetName("Absolute path");
        yield return new TestCaseData(E(TarEntryType.Regular, "a\0b"), "NUL").SetName("NUL in path");
        yield return new TestCaseData(E(TarEntryType.Regular, mode: 0x81A4), "07777").SetName("Type bits in mode");
        yield return new TestCaseData(E(TarEntryType.Symlink), "no link name").SetName("Symlink without target");
        yield return new TestCaseData(E(TarEntryType.Directory, size: 5), "only regular files have data").SetName("Directory with size");
        yield return new TestCaseData(E(TarEntryType.Fifo, link: "t"u8.ToArray()), "cannot have a link name").SetName("Fifo with link");
        yield return new TestCaseData(E(TarEntryType.Regular, size: 10), "no data stream").SetName("File without data");
        yield return new TestCaseData(new TarEntry { Path = "s"u8.ToArray(), Type = TarEntryType.Regular, Size = 100, SparseMap = [new(50, 60)] },
            "past the file size").SetName("Sparse segment past the end");
        yield return new TestCaseData(new TarEntry { Path = "s"u8.ToArray(), Type = TarEntryType.Regular, Size = 100, SparseMap = [new(50, 10), new(0, 10)] },
            "out of order").SetName("Sparse segments out of order");
        yield return new TestCaseData(new TarEntry { Path = "x"u8.ToArray(), Type = TarEntryType.Regular, Xattrs = [new("user.a", []), new("user.a", [1])] },
            "repeated xattr").SetName("Repeated xattr");
        yield return new TestCaseData(new TarEntry { Path = "x"u8.ToArray(), Type = TarEntryType.Regular, Xattrs = [new("system.posix_acl_access", [1, 2, 3])] },
            "not a version 2 Linux ACL").SetName("Malformed ACL xattr");
    }

    [TestCaseSource(nameof(RefusedEntries))]
    public void Refused_entries_write_nothing(TarEntry entry, string message)
    {
        var ms = new MemoryStream();
        using var w = new PaxWriter(ms, leaveOpen: true);
        // Regular files get a data stream (but the one testing its absence), other types none, so only the named
        // problem is wrong with each call.
        var data = entry.Type == TarEntryType.Regular && message != "no data stream" ? new MemoryStream(new byte[10]) : null;
        var ex = Assert.Throws<ArgumentException>(() => w.WriteEntry(entry, data));
        Assert.That(ex!.Message, Does.Contain(message));
        Assert.That(w.BytesWritten, Is.Zero);
        Assert.That(ms.Length, Is.Zero);
    }

    [Test]
    public void Nothing_can_be_written_after_Finish()
    {
        var ms = new MemoryStream();
        using var w = new PaxWriter(ms, leaveOpen: true);
        w.Finish();
        Assert.That(ms.Length, Is.EqualTo(1024));
        Assert.That(w.BytesWritten, Is.EqualTo(1024));
        Assert.Throws<InvalidOperationException>(() => w.WriteEntry(Regular("late", 0), Stream.Null));
    }

    [Test]
    public void Data_is_copied_in_bounded_chunks()
    {
        var source = new CountingZeroStream(64L << 20);
        using (var w = new PaxWriter(Stream.Null)) w.WriteEntry(Regular("big", 64L << 20), source);
        Assert.That(source.Served, Is.EqualTo(64L << 20));
        Assert.That(source.LargestRead, Is.LessThanOrEqualTo(1 << 20), "the writer asks for chunks, not the whole file");
    }

    [Test]
    public void A_member_of_8_GiB_gets_a_pax_size_and_gnu_tar_and_our_reader_agree()
    {
        long size = 8L << 30; // one more than the 11 octal digits of ustar size hold
        var dir = Directory.CreateTempSubdirectory("rescuekit-pax-big-").FullName;
        try
        {
            var file = Path.Combine(dir, "big.tar");
            using (var output = new HoleWritingStream(File.Create(file)))
            using (var w = new PaxWriter(output))
                w.WriteEntry(Regular("huge.img", size), new CountingZeroStream(size));
            var head = new byte[1536]; // x header, its records, the ustar header
            using (var f = File.OpenRead(file)) f.ReadExactly(head);
            Assert.That(Encoding.ASCII.GetString(head, 512, 100), Does.Contain($"size={size}\n"));
            Assert.That(Encoding.ASCII.GetString(head, 1024 + UstarLayout.Size, 12), Is.EqualTo("00000000000\0"), "the ustar size field is left 0");

            var listing = ExternalTool.RunOk("tar", "tar", ["-tvf", file]);
            Assert.That(listing, Does.Contain($" {size} ").And.Contain("huge.img"));

            using var reader = new PaxReader(File.OpenRead(file));
            Assert.That(reader.ReadNext()!.Size, Is.EqualTo(size));
            Assert.That(reader.ReadNext(), Is.Null);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Serves zeros without holding them, recording the largest read asked for.</summary>
    private sealed class CountingZeroStream(long length) : Stream
    {
        public long Served { get; private set; }
        public int LargestRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            LargestRead = Math.Max(LargestRead, buffer.Length);
            int n = (int)Math.Min(buffer.Length, length - Served);
            buffer[..n].Clear();
            Served += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Writes zero buffers as holes, so an 8 GiB archive of zeros takes no disk space.</summary>
    private sealed class HoleWritingStream(FileStream file) : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.ContainsAnyExcept((byte)0))
            {
                file.Position = _length;
                file.Write(buffer);
            }
            _length += buffer.Length;
        }
        public override void Flush() => file.SetLength(_length);
        private bool _disposed;

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                file.SetLength(_length);
                file.Dispose();
            }
            base.Dispose(disposing);
        }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
