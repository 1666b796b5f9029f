using System.Text;
using RescueKit.Formats.Tar;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>The ustar header block and pax record encodings, checked against the POSIX tables and hand-made bytes.</summary>
public class UstarLayoutTests
{
    [Test]
    public void Offsets_match_the_posix_ustar_header_table()
    {
        // POSIX.1-2017 pax, ustar Header Block: name 0, mode 100, uid 108, gid 116, size 124, mtime 136, chksum 148,
        // typeflag 156, linkname 157, magic 257, version 263, uname 265, gname 297, devmajor 329, devminor 337, prefix 345.
        Assert.Multiple(() =>
        {
            Assert.That(UstarLayout.Mode, Is.EqualTo(100));
            Assert.That(UstarLayout.Uid, Is.EqualTo(108));
            Assert.That(UstarLayout.Gid, Is.EqualTo(116));
            Assert.That(UstarLayout.Size, Is.EqualTo(124));
            Assert.That(UstarLayout.Mtime, Is.EqualTo(136));
            Assert.That(UstarLayout.Chksum, Is.EqualTo(148));
            Assert.That(UstarLayout.Typeflag, Is.EqualTo(156));
            Assert.That(UstarLayout.Linkname, Is.EqualTo(157));
            Assert.That(UstarLayout.Magic, Is.EqualTo(257));
            Assert.That(UstarLayout.Version, Is.EqualTo(263));
            Assert.That(UstarLayout.Uname, Is.EqualTo(265));
            Assert.That(UstarLayout.Gname, Is.EqualTo(297));
            Assert.That(UstarLayout.Devmajor, Is.EqualTo(329));
            Assert.That(UstarLayout.Devminor, Is.EqualTo(337));
            Assert.That(UstarLayout.Prefix, Is.EqualTo(345));
            Assert.That(UstarLayout.End, Is.EqualTo(500));
        });
    }

    [Test]
    public void Octal_fields_are_zero_padded_and_NUL_terminated()
    {
        var block = new byte[UstarLayout.BlockSize];
        UstarHeader.WriteOctal(block, UstarLayout.Mode, UstarLayout.ModeLength, 0x1ED);
        UstarHeader.WriteOctal(block, UstarLayout.Size, UstarLayout.SizeLength, UstarLayout.MaxOctal(UstarLayout.SizeLength));
        Assert.That(block.AsSpan(UstarLayout.Mode, 8).ToArray(), Is.EqualTo("0000755\0"u8.ToArray()));
        Assert.That(block.AsSpan(UstarLayout.Size, 12).ToArray(), Is.EqualTo("77777777777\0"u8.ToArray()));
        Assert.That(UstarLayout.MaxOctal(UstarLayout.SizeLength), Is.EqualTo(8L * 1024 * 1024 * 1024 - 1));
        Assert.That(UstarLayout.MaxOctal(UstarLayout.UidLength), Is.EqualTo(0x1FFFFF)); // 07777777
    }

    [Test]
    public void Octal_reader_takes_space_and_NUL_terminators_and_gnu_base256()
    {
        var block = new byte[UstarLayout.BlockSize];
        "000644 \0"u8.CopyTo(block.AsSpan(UstarLayout.Mode));      // bsdtar's form
        "  1234\0\0"u8.CopyTo(block.AsSpan(UstarLayout.Uid));      // leading spaces (old tars)
        byte[] base256 = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00]; // GNU tar: 256
        base256.CopyTo(block.AsSpan(UstarLayout.Size));
        Assert.Multiple(() =>
        {
            Assert.That(UstarHeader.ReadNumber(block, UstarLayout.Mode, 8, "mode", 0), Is.EqualTo(0x1A4));
            Assert.That(UstarHeader.ReadNumber(block, UstarLayout.Uid, 8, "uid", 0), Is.EqualTo(668));
            Assert.That(UstarHeader.ReadNumber(block, UstarLayout.Size, 12, "size", 0), Is.EqualTo(256));
        });
        "12x4\0\0\0\0"u8.CopyTo(block.AsSpan(UstarLayout.Gid));
        var ex = Assert.Throws<InvalidDataException>(() => UstarHeader.ReadNumber(block, UstarLayout.Gid, 8, "gid", 1024));
        Assert.That(ex!.Message, Does.Contain("offset 1142").And.Contain("gid"));
    }

    [Test]
    public void Checksum_is_the_unsigned_byte_sum_with_the_field_as_spaces()
    {
        var block = new byte[UstarLayout.BlockSize];
        new UstarHeader { Name = "a"u8.ToArray(), Mode = 0x1A4, Typeflag = (byte)'0' }.WriteTo(block);
        long sum = 0;
        for (int i = 0; i < block.Length; i++) sum += i is >= 148 and < 156 ? ' ' : block[i];
        var field = Encoding.ASCII.GetString(block, UstarLayout.Chksum, 8);
        Assert.That(field, Is.EqualTo(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 "));
        Assert.That(UstarHeader.ReadFrom(block, 0).Name, Is.EqualTo("a"u8.ToArray()));

        block[UstarLayout.Name] = (byte)'b';
        var ex = Assert.Throws<InvalidDataException>(() => UstarHeader.ReadFrom(block, 5120));
        Assert.That(ex!.Message, Does.Contain("offset 5120").And.Contain("checksum"));
    }

    [TestCase(1, 9)]   // rest 9 bytes: "10" would make 11, so 11 ("11 k=v...\n")
    [TestCase(1, 8)]   // rest 8 + 2 digits = 10
    [TestCase(1, 7)]   // rest 7 + 1 digit = 8
    [TestCase(3, 95)]  // crossing 99 -> 100
    [TestCase(3, 96)]
    [TestCase(4, 993)] // crossing 999 -> 1000
    public void Pax_record_length_counts_its_own_digits(int keyLength, int restWithoutValue)
    {
        var key = new string('k', keyLength);
        int valueLength = restWithoutValue - keyLength - 3;
        var record = new PaxRecord(key, new byte[valueLength]);
        var bytes = PaxRecord.Encode([record]);
        var digits = Encoding.ASCII.GetString(bytes, 0, Array.IndexOf(bytes, (byte)' '));
        Assert.That(int.Parse(digits), Is.EqualTo(bytes.Length), Encoding.ASCII.GetString(bytes));
        Assert.That(record.Length, Is.EqualTo(bytes.Length));
        Assert.That(bytes[^1], Is.EqualTo((byte)'\n'));
    }

    [Test]
    public void Pax_records_round_trip_with_raw_bytes_and_reject_a_bad_length()
    {
        byte[] raw = [0, 0xFF, (byte)'=', (byte)'\n', 0x80];
        var data = PaxRecord.Encode([new PaxRecord("SCHILY.xattr.user.x", raw), new PaxRecord("path", "a/b")]);
        var back = PaxRecord.Decode(data, 0);
        Assert.That(back.Select(r => r.Keyword), Is.EqualTo(new[] { "SCHILY.xattr.user.x", "path" }));
        Assert.That(back[0].Value, Is.EqualTo(raw));
        Assert.That(back[1].Value, Is.EqualTo("a/b"u8.ToArray()));

        var corrupt = "30 path=a\n"u8.ToArray();
        var ex = Assert.Throws<InvalidDataException>(() => PaxRecord.Decode(corrupt, 1536));
        Assert.That(ex!.Message, Does.Contain("offset 1536").And.Contain("length 30"));
    }

    [Test]
    public void Ustar_name_split_uses_the_prefix_only_when_needed()
    {
        var shortName = Encoding.ASCII.GetBytes(new string('a', 100));
        Assert.That(PaxMember.SplitUstarName(shortName), Is.EqualTo((Array.Empty<byte>(), shortName)).Using(new SplitComparer()));

        var dir = new string('d', 150);
        var file = new string('f', 100);
        var (prefix, name) = PaxMember.SplitUstarName(Encoding.ASCII.GetBytes($"{dir}/{file}"));
        Assert.That(Encoding.ASCII.GetString(prefix), Is.EqualTo(dir));
        Assert.That(Encoding.ASCII.GetString(name!), Is.EqualTo(file));

        // A 101-byte last component, a 156-byte prefix, non-ASCII: none fits ustar.
        Assert.That(PaxMember.SplitUstarName(Encoding.ASCII.GetBytes("d/" + new string('f', 101))).Name, Is.Null);
        Assert.That(PaxMember.SplitUstarName(Encoding.ASCII.GetBytes(new string('d', 156) + "/f")).Name, Is.Null);
        Assert.That(PaxMember.SplitUstarName("caf\u00e9"u8.ToArray()).Name, Is.Null);
    }

    private sealed class SplitComparer : IEqualityComparer<(byte[], byte[]?)>
    {
        public bool Equals((byte[], byte[]?) x, (byte[], byte[]?) y) =>
            x.Item1.SequenceEqual(y.Item1) && (x.Item2 ?? []).SequenceEqual(y.Item2 ?? []);
        public int GetHashCode((byte[], byte[]?) obj) => 0;
    }

    [TestCase(1_700_000_000_000_000_000L, "1700000000")]
    [TestCase(1_700_000_000_000_000_001L, "1700000000.000000001")]
    [TestCase(-1_250_000_000L, "-1.250000000")]
    public void Pax_mtime_keeps_nanoseconds(long nanoseconds, string expected) =>
        Assert.That(PaxMember.FormatTime(nanoseconds), Is.EqualTo(expected));
}
