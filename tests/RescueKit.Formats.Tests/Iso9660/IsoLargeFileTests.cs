using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using RescueKit.Formats.Iso9660;
using RescueKit.Tests.Shared;
using static RescueKit.Formats.Tests.Iso9660.OracleReport;

namespace RescueKit.Formats.Tests.Iso9660;

/// <summary>
/// A sparse 4.5 GiB file becomes a multi-extent file (formats.md §4): one 0xFFFFF800-byte extent with flag 0x80, then
/// the rest. Source and image stay sparse, so this costs a read of zeros, not 9 GB of disk.
/// </summary>
[Category("Oracle")]
public class IsoLargeFileTests
{
    private const long HugeSize = 4L * 1024 * 1024 * 1024 + 512L * 1024 * 1024;
    private const long FirstExtent = 0xFFFFF800;

    [Test]
    public void FileBeyond4GiBIsWrittenAsTwoContiguousExtents()
    {
        var dir = Directory.CreateTempSubdirectory("rk-iso-large-").FullName;
        try
        {
            var huge = Path.Combine(dir, "huge.bin");
            using (var f = new FileStream(huge, FileMode.CreateNew))
            {
                f.SetLength(HugeSize);
                Mark(f, 0, "HEAD");
                Mark(f, FirstExtent - 2, "XY");
                Mark(f, FirstExtent, "NEXT");
                Mark(f, HugeSize - 4, "TAIL");
            }
            var b = new IsoBuilder(new IsoOptions { VolumeIdentifier = "LARGE", Timestamp = DateTimeOffset.FromUnixTimeSeconds(1700000000) });
            b.AddFile("huge.bin", huge, new UnixMetadata(Convert.ToInt32("644", 8), 0, 0, DateTimeOffset.FromUnixTimeSeconds(1700000000)));
            b.AddFile("after.txt", "after\n"u8.ToArray(), new UnixMetadata(Convert.ToInt32("644", 8), 0, 0, DateTimeOffset.FromUnixTimeSeconds(1700000000)));
            var iso = Path.Combine(dir, "large.iso");
            b.WriteTo(iso);
            Assert.That(new FileInfo(iso).Length, Is.EqualTo(b.PlannedSize));

            var report = Squeeze(Report("xorriso", "xorriso", ["-indev", iso, "-find", "/huge.bin", "-exec", "report_lba", "--"]));
            var extents = Regex.Matches(report, @"File data lba: (\d) , (\d+) , (\d+) , (\d+) , '/huge.bin'")
                .Select(m => (Index: int.Parse(m.Groups[1].Value), Lba: long.Parse(m.Groups[2].Value), Blocks: long.Parse(m.Groups[3].Value), Size: long.Parse(m.Groups[4].Value)))
                .ToList();
            Assert.That(extents, Has.Count.EqualTo(2), report);
            Assert.That(extents[0].Blocks, Is.EqualTo(FirstExtent / 2048));
            Assert.That(extents[1].Lba, Is.EqualTo(extents[0].Lba + FirstExtent / 2048), "contiguous");
            Assert.That(extents.All(e => e.Size == HugeSize), Is.True);

            var listing = Squeeze(Report("isoinfo", "genisoimage", ["-l", "-R", "-i", iso]));
            Assert.That(listing, Does.Contain($" {FirstExtent} ").And.Contain($" {HugeSize - FirstExtent} "), "two records");
            Assert.That(Squeeze(Report("bsdtar", "libarchive-tools", ["tvf", iso])), Does.Match($@" {HugeSize} .* huge\.bin"));

            using var image = File.OpenRead(iso);
            var start = extents[0].Lba * 2048;
            Assert.Multiple(() =>
            {
                Assert.That(Read(image, start, 4), Is.EqualTo("HEAD"));
                Assert.That(Read(image, start + FirstExtent - 2, 2), Is.EqualTo("XY"));
                Assert.That(Read(image, extents[1].Lba * 2048, 4), Is.EqualTo("NEXT"));
                Assert.That(Read(image, start + HugeSize - 4, 4), Is.EqualTo("TAIL"));
            });
        }
        finally { Directory.Delete(dir, true); }
    }

    private static void Mark(FileStream f, long offset, string text)
    {
        f.Position = offset;
        f.Write(Encoding.ASCII.GetBytes(text));
    }

    private static string Read(FileStream f, long offset, int count)
    {
        var buffer = new byte[count];
        f.Position = offset;
        f.ReadExactly(buffer);
        return Encoding.ASCII.GetString(buffer);
    }
}
