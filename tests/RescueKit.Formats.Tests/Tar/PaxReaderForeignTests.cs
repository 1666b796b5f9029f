using System.Text;
using RescueKit.Formats.Tar;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>Archives GNU tar writes in forms our writer never uses: global 'g' headers and its default format's 'L'/'K' long names.</summary>
[Category("Oracle")]
public class PaxReaderForeignTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("rescuekit-pax-foreign-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_global_header_applies_to_the_following_members()
    {
        var source = Directory.CreateDirectory(Path.Combine(_dir, "s")).FullName;
        File.WriteAllText(Path.Combine(source, "a"), "a\n");
        File.WriteAllText(Path.Combine(source, "b"), "b\n");
        var archive = Path.Combine(_dir, "g.tar");
        // keyword=value: GNU tar puts it in a global 'g' header at the start of the archive.
        ExternalTool.RunOk("tar", "tar", ["--posix", "--pax-option=uname=globaluser,comment=hello", "-cf", archive, "-C", source, "a", "b"]);
        Assert.That(File.ReadAllBytes(archive)[156], Is.EqualTo((byte)'g'));

        var read = PaxRoundTripTests.ReadAll(File.ReadAllBytes(archive));
        Assert.That(read.Select(r => (Encoding.UTF8.GetString(r.Entry.Path), r.Entry.UserName, Encoding.UTF8.GetString(r.Data))),
            Is.EqualTo(new[] { ("a", "globaluser", "a\n"), ("b", "globaluser", "b\n") }));
    }

    [Test]
    public void Gnu_format_long_names_and_link_targets_are_read_whole()
    {
        var longName = new string('x', 150);
        var source = Directory.CreateDirectory(Path.Combine(_dir, "t", longName)).FullName;
        File.WriteAllText(Path.Combine(source, longName), "deep\n");
        var target = $"{longName}/../{longName}/{longName}";
        File.CreateSymbolicLink(Path.Combine(_dir, "t", "link"), target);
        var archive = Path.Combine(_dir, "gnu.tar");
        ExternalTool.RunOk("tar", "tar", ["--format=gnu", "-cf", archive, "-C", Path.Combine(_dir, "t"), longName, "link"]);
        Assert.That(Encoding.ASCII.GetString(File.ReadAllBytes(archive), 0, 13), Is.EqualTo("././@LongLink"));

        var read = PaxRoundTripTests.ReadAll(File.ReadAllBytes(archive));
        Assert.That(read.Select(r => (Encoding.UTF8.GetString(r.Entry.Path), r.Entry.Type)), Is.EqualTo(new[]
        {
            (longName, TarEntryType.Directory), ($"{longName}/{longName}", TarEntryType.Regular), ("link", TarEntryType.Symlink),
        }));
        Assert.That(Encoding.UTF8.GetString(read[2].Entry.LinkName!), Is.EqualTo(target));
        Assert.That(read[1].Data, Is.EqualTo("deep\n"u8.ToArray()));
    }
}
