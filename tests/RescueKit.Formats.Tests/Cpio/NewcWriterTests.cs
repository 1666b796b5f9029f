using NUnit.Framework;
using System.Text;
using RescueKit.Formats.Cpio;

namespace RescueKit.Formats.Tests.Cpio;

public class NewcWriterTests
{
    private const long MTime = 1_700_000_000; // 2023-11-14 22:13:20Z = 0x6553f100

    [Test]
    public void Layout_offsets_match_the_newc_header_table()
    {
        // formats.md §11 / buffer-format.rst: 6-byte magic then 8-byte fields; header 110 bytes.
        Assert.Multiple(() =>
        {
            Assert.That(NewcLayout.Ino, Is.EqualTo(6));
            Assert.That(NewcLayout.Mode, Is.EqualTo(14));
            Assert.That(NewcLayout.NLink, Is.EqualTo(38));
            Assert.That(NewcLayout.MTime, Is.EqualTo(46));
            Assert.That(NewcLayout.FileSize, Is.EqualTo(54));
            Assert.That(NewcLayout.RDevMajor, Is.EqualTo(78));
            Assert.That(NewcLayout.NameSize, Is.EqualTo(94));
            Assert.That(NewcLayout.Check, Is.EqualTo(102));
            Assert.That(NewcLayout.HeaderSize, Is.EqualTo(110));
        });
    }

    [Test]
    public void Golden_bytes_for_a_directory_a_file_and_the_trailer()
    {
        var ms = new MemoryStream();
        using (var w = new NewcWriter(ms, leaveOpen: true))
        {
            w.AddDirectory(".", 0x1ED, MTime);
            w.AddFile("a", 0x1A4, MTime, "hello"u8);
        }

        // The first member is the one verified with mknewc.py in formats.md §11.
        var expected = new MemoryStream();
        void Ascii(string s) => expected.Write(Encoding.ASCII.GetBytes(s));
        Ascii("070701" + "00000001" + "000041ed" + "00000000" + "00000000" + "00000002" + "6553f100" + "00000000"
            + "00000000" + "00000000" + "00000000" + "00000000" + "00000002" + "00000000" + ".\0");
        Ascii("070701" + "00000002" + "000081a4" + "00000000" + "00000000" + "00000001" + "6553f100" + "00000005"
            + "00000000" + "00000000" + "00000000" + "00000000" + "00000002" + "00000000" + "a\0");
        Ascii("hello\0\0\0");
        Ascii("070701" + "00000000" + "00000000" + "00000000" + "00000000" + "00000001" + "00000000" + "00000000"
            + "00000000" + "00000000" + "00000000" + "00000000" + "0000000b" + "00000000" + "TRAILER!!!\0" + "\0\0\0");

        Assert.That(ms.ToArray(), Is.EqualTo(expected.ToArray()));
        Assert.That(ms.Length, Is.EqualTo(112 + 112 + 8 + 124));
    }

    [Test]
    public void Every_member_starts_4_aligned_for_all_name_and_data_lengths()
    {
        var ms = new MemoryStream();
        using var w = new NewcWriter(ms, leaveOpen: true);
        for (int nameLength = 1; nameLength <= 8; nameLength++)
            for (int dataLength = 0; dataLength <= 5; dataLength++)
            {
                w.AddFile(new string('n', nameLength) + dataLength, 0x1A4, MTime, new byte[dataLength]);
                Assert.That(w.BytesWritten % 4, Is.EqualTo(0), $"name {nameLength}, data {dataLength}");
                Assert.That(w.BytesWritten, Is.EqualTo(ms.Length));
            }
        w.Finish();
        Assert.That(ms.Length % 4, Is.EqualTo(0));
        ms.Position = 0;
        Assert.That(new NewcReader(ms).ReadAll().Count(), Is.EqualTo(8 * 6));
    }

    [Test]
    public void Round_trip_through_the_reader_keeps_every_field()
    {
        var bytes = NewcSample.Build();
        var entries = new NewcReader(new MemoryStream(bytes)).ReadAll().ToList();

        Assert.That(entries.Select(e => e.Entry.Name), Is.EqualTo(NewcSample.Names));
        var byName = entries.ToDictionary(e => e.Entry.Name);

        var root = byName["."].Entry;
        Assert.That((root.Mode, root.NLink, root.MTime, root.Ino), Is.EqualTo((0x41ED, 2, MTime, 1L)));
        var init = byName["init"];
        Assert.That((init.Entry.Mode, init.Entry.Uid, init.Entry.Gid), Is.EqualTo((0x81ED, 0, 0)));
        Assert.That(init.Data, Is.EqualTo(NewcSample.InitScript));
        var console = byName["dev/console"].Entry;
        Assert.That((console.IsCharacterDevice, console.Permissions, console.RDevMajor, console.RDevMinor), Is.EqualTo((true, 0x180, 5, 1)));
        var sda = byName["dev/sda"].Entry;
        Assert.That((sda.IsBlockDevice, sda.RDevMajor, sda.RDevMinor), Is.EqualTo((true, 8, 0)));
        var sh = byName["bin/sh"].Entry;
        Assert.That((sh.Mode, sh.LinkTarget, sh.Size), Is.EqualTo((0xA1FF, "busybox", 7L)));
        var owned = byName["home/user/notes.txt"].Entry;
        Assert.That((owned.Uid, owned.Gid, owned.Permissions), Is.EqualTo((1000, 100, 0x180)));
        Assert.That(byName["big.bin"].Data, Is.EqualTo(NewcSample.BigContent));

        // Hard links: one inode, nlink = 2, data on the last name only.
        var first = byName["bin/link-a"];
        var last = byName["bin/link-b"];
        Assert.That((first.Entry.Ino, first.Entry.NLink, first.Entry.Size), Is.EqualTo((last.Entry.Ino, 2, 0L)));
        Assert.That(last.Data, Is.EqualTo(NewcSample.LinkedContent));

        var inodes = entries.Where(e => e.Entry.Name != "bin/link-a").Select(e => e.Entry.Ino).ToList();
        Assert.That(inodes, Is.Unique);
        Assert.That(inodes, Is.EqualTo(Enumerable.Range(1, inodes.Count).Select(i => (long)i)), "sequential from 1");
    }

    [Test]
    public void Dispose_writes_the_trailer_once_and_Finish_blocks_further_members()
    {
        var ms = new MemoryStream();
        var w = new NewcWriter(ms, leaveOpen: true);
        w.AddDirectory("d", 0x1ED, MTime);
        w.Finish();
        var length = ms.Length;
        w.Dispose();
        Assert.That(ms.Length, Is.EqualTo(length));
        Assert.That(Encoding.ASCII.GetString(ms.ToArray()), Does.Contain("TRAILER!!!"));
        Assert.Throws<ObjectDisposedException>(() => w.AddDirectory("e", 0x1ED, MTime));
        var w2 = new NewcWriter(new MemoryStream());
        w2.Finish();
        Assert.Throws<InvalidOperationException>(() => w2.AddDirectory("e", 0x1ED, MTime));
    }

    [Test]
    public void A_leading_dot_slash_is_stripped()
    {
        Assert.That(NewcNames.Normalize("./dev/console"), Is.EqualTo("dev/console"));
        Assert.That(NewcNames.Normalize("./"), Is.EqualTo("."));
        Assert.That(NewcNames.Normalize("."), Is.EqualTo("."));
    }

    [Test]
    public void SortParentsFirst_puts_each_directory_before_its_contents_ordinally()
    {
        var sorted = NewcNames.SortParentsFirst(["usr/lib/x", "bin/sh", "usr", "usr-local", "usr/lib", ".", "bin", "Z"]);
        Assert.That(sorted, Is.EqualTo(new[] { ".", "Z", "bin", "bin/sh", "usr", "usr/lib", "usr/lib/x", "usr-local" }));
    }

    [TestCase("", "empty")]
    [TestCase("/etc/passwd", "absolute")]
    [TestCase("a/../etc", "'..'")]
    [TestCase("..", "'..'")]
    [TestCase("a//b", "empty component")]
    [TestCase("a/b/", "empty component")]
    [TestCase("a/./b", "'.'")]
    [TestCase("TRAILER!!!", "reserved")]
    public void Bad_names_are_rejected_before_anything_is_written(string name, string messagePart)
    {
        var ms = new MemoryStream();
        using var w = new NewcWriter(ms, leaveOpen: true);
        var ex = Assert.Throws<ArgumentException>(() => w.AddFile(name, 0x1A4, MTime, "x"u8));
        Assert.That(ex!.Message, Does.Contain(messagePart));
        Assert.That(ms.Length, Is.EqualTo(0));
    }

    [Test]
    public void A_name_longer_than_4095_bytes_is_rejected()
    {
        using var w = new NewcWriter(new MemoryStream());
        Assert.DoesNotThrow(() => w.AddDirectory(new string('a', 4095), 0x1ED, MTime));
        var ex = Assert.Throws<ArgumentException>(() => w.AddDirectory(new string('a', 4096), 0x1ED, MTime));
        Assert.That(ex!.Message, Does.Contain("4095"));
    }

    [TestCase(-1L)]
    [TestCase(0x1_0000_0000L)]
    public void Mtime_outside_u32_is_rejected(long mtime)
    {
        using var w = new NewcWriter(new MemoryStream());
        var ex = Assert.Throws<ArgumentException>(() => w.AddDirectory("d", 0x1ED, mtime));
        Assert.That(ex!.ParamName, Is.EqualTo("mtime"));
    }

    [Test]
    public void Mtime_at_the_u32_limit_is_accepted()
    {
        var ms = new MemoryStream();
        using (var w = new NewcWriter(ms, leaveOpen: true)) w.AddDirectory("d", 0x1ED, uint.MaxValue);
        ms.Position = 0;
        Assert.That(new NewcReader(ms).ReadAll().Single().Entry.MTime, Is.EqualTo(uint.MaxValue));
    }

    [Test]
    public void A_symlink_with_an_empty_target_is_rejected()
    {
        using var w = new NewcWriter(new MemoryStream());
        var ex = Assert.Throws<ArgumentException>(() => w.AddSymlink("bin/sh", "", MTime));
        Assert.That(ex!.ParamName, Is.EqualTo("target"));
    }

    [Test]
    public void A_negative_or_too_large_length_is_rejected()
    {
        using var w = new NewcWriter(new MemoryStream());
        Assert.That(Assert.Throws<ArgumentException>(() => w.AddFile("f", 0x1A4, MTime, new MemoryStream(), -1))!.ParamName,
            Is.EqualTo("length"));
        Assert.That(Assert.Throws<ArgumentException>(() => w.AddFile("f", 0x1A4, MTime, new MemoryStream(), 0x1_0000_0000))!.ParamName,
            Is.EqualTo("length"));
    }

    [Test]
    public void A_seekable_stream_shorter_than_length_is_rejected_before_writing()
    {
        var ms = new MemoryStream();
        using var w = new NewcWriter(ms, leaveOpen: true);
        var ex = Assert.Throws<ArgumentException>(() => w.AddFile("f", 0x1A4, MTime, new MemoryStream(new byte[10]), 11));
        Assert.That(ex!.Message, Does.Contain("10 bytes left but length is 11"));
        Assert.That(ms.Length, Is.EqualTo(0));
    }

    [Test]
    public void A_non_seekable_stream_that_ends_early_fails_and_the_writer_stops()
    {
        var ms = new MemoryStream();
        var w = new NewcWriter(ms, leaveOpen: true);
        var ex = Assert.Throws<ArgumentException>(() => w.AddFile("f", 0x1A4, MTime, new ForwardOnlyStream(new byte[10]), 11));
        Assert.That(ex!.Message, Does.Contain("ended after 10 of the 11 bytes"));
        Assert.Throws<InvalidOperationException>(() => w.AddDirectory("d", 0x1ED, MTime));
        w.Dispose(); // must not add a trailer to a broken archive, nor throw
        Assert.That(Encoding.ASCII.GetString(ms.ToArray()), Does.Not.Contain("TRAILER"));
    }

    [Test]
    public void Content_is_streamed_in_chunks_not_read_whole()
    {
        const long length = 5 * 1024 * 1024 + 3;
        var source = new ForwardOnlyStream(new byte[length]);
        using var w = new NewcWriter(Stream.Null);
        w.AddFile("big", 0x1A4, MTime, source, length);
        Assert.That(source.LargestRead, Is.LessThanOrEqualTo(64 * 1024));
        Assert.That(w.BytesWritten, Is.EqualTo(116 + length + 1), "110 + \"big\\0\" = 114 -> 116; data + 1 pad");
    }

    [Test]
    public void Bad_hard_link_groups_are_rejected()
    {
        using var w = new NewcWriter(new MemoryStream());
        Assert.Throws<ArgumentException>(() => w.AddHardLinks([], 0x1A4, MTime, new MemoryStream(), 0));
        Assert.Throws<ArgumentException>(() => w.AddHardLinks(["a", "./a"], 0x1A4, MTime, new MemoryStream(), 0));
    }

    [Test]
    public void Reader_rejects_a_bad_magic_and_a_missing_trailer()
    {
        var odc = Encoding.ASCII.GetBytes("070707" + new string('0', 104));
        Assert.Throws<InvalidDataException>(() => new NewcReader(new MemoryStream(odc)).ReadAll().ToList());
        var ms = new MemoryStream();
        using (var w = new NewcWriter(ms, leaveOpen: true)) w.AddDirectory("d", 0x1ED, MTime);
        var truncated = ms.ToArray()[..112];
        Assert.Throws<InvalidDataException>(() => new NewcReader(new MemoryStream(truncated)).ReadAll().ToList());
    }

    /// <summary>A read-only, non-seekable stream over a buffer that records its largest read.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;
        public int LargestRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            LargestRead = Math.Max(LargestRead, count);
            int n = Math.Min(count, data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
