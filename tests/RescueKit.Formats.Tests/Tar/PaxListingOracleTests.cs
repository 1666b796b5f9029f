using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RescueKit.Formats.Tar;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>GNU tar and bsdtar list <see cref="TarSample"/> as it was written.</summary>
[Category("Oracle")]
public class PaxListingOracleTests
{
    private string _dir = null!;
    private string _archive = null!;
    private List<TarSample.Member> _sample = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("rescuekit-pax-").FullName;
        _archive = Path.Combine(_dir, "sample.tar");
        _sample = TarSample.Build();
        File.WriteAllBytes(_archive, TarSample.Write(_sample));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Gnu_tar_tvf_lists_every_member_with_its_metadata()
    {
        var r = ExternalTool.Run("tar", "tar", ["--numeric-owner", "--full-time", "-tvf", _archive]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("tar: Ignoring unknown extended header keyword 'hdrcharset'"));
        Assert.That(UnexpectedGnuWarnings(r.Stderr), Is.Empty);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Regex.Replace(l, " +", " "));
        Assert.That(lines, Is.EqualTo(_sample.Select(m => GnuListing(m.Entry))));
    }

    [Test]
    public void Bsdtar_tf_lists_every_name()
    {
        // libarchive needs a UTF-8 locale for UTF-8 names (it converts pax names to the locale's charset).
        var bsdtar = ExternalTool.Require("bsdtar", "libarchive-tools");
        var r = ExternalTool.Run("env", "coreutils", ["LC_ALL=C.UTF-8", bsdtar, "-tf", _archive]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stderr, Is.Empty);
        var expected = _sample.Select(m => Escape(m.Entry.Path, keepUtf8: true) + (m.Entry.Type == TarEntryType.Directory && m.Entry.Path[^1] != '/' ? "/" : ""));
        Assert.That(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(expected));
    }

    /// <summary>
    /// GNU tar's stderr without the note our archives cause by design: GNU tar 1.34 does not know pax "hdrcharset"
    /// (written for names that are not UTF-8; it keeps the raw bytes anyway).
    /// </summary>
    internal static IEnumerable<string> UnexpectedGnuWarnings(string stderr) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.EndsWith("Ignoring unknown extended header keyword 'hdrcharset'", StringComparison.Ordinal));

    /// <summary>A line of GNU tar -tv --numeric-owner --full-time, runs of spaces squeezed.</summary>
    private static string GnuListing(TarEntry e)
    {
        char type = e.Type switch
        {
            TarEntryType.Directory => 'd', TarEntryType.Symlink => 'l', TarEntryType.HardLink => 'h',
            TarEntryType.CharacterDevice => 'c', TarEntryType.BlockDevice => 'b', TarEntryType.Fifo => 'p', _ => '-',
        };
        var mode = new StringBuilder().Append(type);
        for (int shift = 6; shift >= 0; shift -= 3)
            mode.Append((e.Mode >> shift & 4) != 0 ? 'r' : '-').Append((e.Mode >> shift & 2) != 0 ? 'w' : '-').Append((e.Mode >> shift & 1) != 0 ? 'x' : '-');
        var size = e.Type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice ? $"{e.DeviceMajor},{e.DeviceMinor}" : e.Size.ToString(CultureInfo.InvariantCulture);
        var time = DateTime.UnixEpoch.AddTicks(e.MtimeNanoseconds / 100).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (e.MtimeNanoseconds % 1_000_000_000 != 0) time += "." + (e.MtimeNanoseconds % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
        var name = Escape(e.Path, keepUtf8: false) + (e.Type == TarEntryType.Directory ? "/" : "");
        var suffix = e.Type switch
        {
            TarEntryType.Symlink => " -> " + Escape(e.LinkName!, keepUtf8: false),
            TarEntryType.HardLink => " link to " + Escape(e.LinkName!, keepUtf8: false),
            _ => "",
        };
        return $"{mode} {e.Uid}/{e.Gid} {size} {time} {name}{suffix}";
    }

    /// <summary>How the tools print names: bytes outside printable ASCII as \ooo (bsdtar keeps valid UTF-8 in a UTF-8 locale).</summary>
    private static string Escape(byte[] bytes, bool keepUtf8)
    {
        if (keepUtf8 && System.Text.Unicode.Utf8.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);
        var sb = new StringBuilder();
        foreach (var b in bytes) sb.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : "\\" + Convert.ToString(b, 8));
        return sb.ToString();
    }
}
