using RescueKit.Formats.Tar;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>PaxWriter output read back by PaxReader: every field and every data byte survives.</summary>
public class PaxRoundTripTests
{
    internal static List<(TarEntry Entry, byte[] Data)> ReadAll(byte[] archive)
    {
        var result = new List<(TarEntry, byte[])>();
        using var reader = new PaxReader(new MemoryStream(archive));
        while (reader.ReadNext() is { } entry)
        {
            var data = new MemoryStream();
            reader.OpenData().CopyTo(data);
            result.Add((entry, data.ToArray()));
        }
        return result;
    }

    /// <summary>The fields a reader must give back, as one comparable string (paths shown as hex when not UTF-8).</summary>
    internal static string Describe(TarEntry e) =>
        $"{Convert.ToHexString(e.Path)} {e.Type} {Convert.ToString(e.Mode, 8)} {e.Uid}:{e.Gid} size={e.Size} mtime={e.MtimeNanoseconds} " +
        $"link={(e.LinkName is null ? "-" : Convert.ToHexString(e.LinkName))} dev={e.DeviceMajor},{e.DeviceMinor} " +
        $"xattrs=[{string.Join(' ', e.Xattrs.OrderBy(x => x.Name, StringComparer.Ordinal).Select(x => x.Name + "=" + Convert.ToHexString(x.Value)))}] " +
        $"sparse=[{(e.SparseMap is null ? "-" : string.Join(' ', e.SparseMap))}]";

    [Test]
    public void Every_member_kind_round_trips()
    {
        var sample = TarSample.Build();
        var back = ReadAll(TarSample.Write(sample));

        Assert.That(back.Select(b => Describe(b.Entry)), Is.EqualTo(sample.Select(m => Describe(m.Entry))));
        for (int i = 0; i < sample.Count; i++)
            Assert.That(back[i].Data, Is.EqualTo(sample[i].Data ?? []), Describe(sample[i].Entry));
        Assert.Multiple(() =>
        {
            Assert.That(back.Single(b => b.Entry.Path.SequenceEqual(TarSample.Utf8("big-ids"))).Entry.UserName,
                Is.EqualTo("user-with-a-name-longer-than-32-bytes"));
            Assert.That(back.Single(b => b.Entry.Path.SequenceEqual(TarSample.Utf8("dir/hello.txt"))).Entry.GroupName, Is.EqualTo("staff"));
            Assert.That(back.Max(b => b.Entry.Path.Length), Is.EqualTo(4095));
        });
    }

    [Test]
    public void Same_entries_give_the_same_bytes()
    {
        Assert.That(TarSample.Write(TarSample.Build()), Is.EqualTo(TarSample.Write(TarSample.Build())));
    }

    [Test]
    public void A_plain_member_is_one_ustar_header_without_an_extended_header()
    {
        // Whole seconds, an ASCII name: header, one data block, two end blocks.
        var plain = new TarEntry { Path = "a/b.txt"u8.ToArray(), Type = TarEntryType.Regular, Mode = 0x1A4, Size = 2, MtimeNanoseconds = 1_000_000_000 };
        var ms = new MemoryStream();
        using (var w = new PaxWriter(ms, leaveOpen: true)) w.WriteEntry(plain, new MemoryStream("hi"u8.ToArray()));
        var bytes = ms.ToArray();
        Assert.That(bytes, Has.Length.EqualTo(4 * 512));
        Assert.That(bytes[156], Is.EqualTo((byte)'0'));
        Assert.That(bytes.AsSpan(257, 8).ToArray(), Is.EqualTo("ustar\u000000"u8.ToArray()));
        Assert.That(bytes.AsSpan(512, 2).ToArray(), Is.EqualTo("hi"u8.ToArray()));
        Assert.That(bytes.AsSpan(1024).ContainsAnyExcept((byte)0), Is.False);

        // The same with nanoseconds needs a pax 'x' header first.
        var archive = TarSample.Write([TarSample.File("a/b.txt", "hi"u8.ToArray(), 0x1A4)]);
        Assert.That(archive[156], Is.EqualTo((byte)'x'));
        Assert.That(System.Text.Encoding.ASCII.GetString(archive, 512, 30), Is.EqualTo($"30 mtime={PaxMember.FormatTime(TarSample.Mtime)}\n"));
    }

    [Test]
    public void The_format_has_no_path_limit_and_marks_only_non_utf8_names_binary()
    {
        var longPath = string.Join('/', Enumerable.Repeat(new string('p', 250), 40)); // 10039 bytes
        byte[] raw = [(byte)'r', 0xC3, 0x28]; // an invalid UTF-8 sequence
        var archive = TarSample.Write([TarSample.File(longPath, "x"u8.ToArray(), 0x1A4), TarSample.File("caf\u00e9", [], 0x1A4),
            new TarSample.Member(new TarEntry { Path = raw, Type = TarEntryType.Regular, MtimeNanoseconds = 1_000_000_000 }, [])]);
        var back = ReadAll(archive);
        Assert.That(back.Select(b => b.Entry.Path), Is.EqualTo(new[] { TarSample.Utf8(longPath), TarSample.Utf8("caf\u00e9"), raw }));

        var text = System.Text.Encoding.Latin1.GetString(archive);
        Assert.That(text, Does.Contain($"{longPath.Length + 12} path={longPath}\n"));
        Assert.That(text.Split("hdrcharset=BINARY\n").Length - 1, Is.EqualTo(1), "only the name that is not UTF-8 is marked");
        Assert.That(text, Does.Contain("./PaxHeaders/caf\u00c3\u00a9"), "the 'x' header is named DIR/PaxHeaders/NAME as GNU tar names it");
    }

    [Test]
    public void Sparse_member_data_starts_with_the_decimal_map_padded_to_a_block()
    {
        var sparse = TarSample.Build().Single(m => m.Entry.SparseMap is not null);
        var archive = TarSample.Write([sparse]);
        var records = System.Text.Encoding.ASCII.GetString(archive, 512, 200);
        Assert.That(records, Does.Contain("GNU.sparse.major=1\n").And.Contain("GNU.sparse.minor=0\n")
            .And.Contain("GNU.sparse.name=dir/sparse\n").And.Contain($"GNU.sparse.realsize={3 << 20}\n"));
        Assert.That(System.Text.Encoding.ASCII.GetString(archive, 1024, 100).TrimEnd('\0'), Is.EqualTo("dir/GNUSparseFile.0/sparse"));
        // A trailing hole is closed by a zero-length segment at the real size, as GNU tar writes it.
        Assert.That(System.Text.Encoding.ASCII.GetString(archive, 1536, 512).TrimEnd('\0'), Is.EqualTo($"3\n0\n4096\n{1 << 20}\n8192\n{3 << 20}\n0\n"));
        Assert.That(archive.AsSpan(2048, 4096).ToArray(), Is.EqualTo(sparse.Data![..4096]));
    }
}
