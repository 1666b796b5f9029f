using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RescueKit.Backup.Archive;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>
/// The sample tree on ext4, archived once, then restored onto a second ext4 by TreeExtractor and by GNU tar (the
/// issue's "no one is locked in" command), each compared with the original entry by entry.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ArchiveRoundTripTests
{
    private static readonly string[] LeftOut = ["sock"];

    private Ext4Mount source = null!;
    private Socket socket = null!;
    private string archive = null!;
    private ArchiveSummary summary = null!;
    private RecordingObserver observer = null!;

    [OneTimeSetUp]
    public void ArchiveTheSampleTree()
    {
        source = Ext4Mount.Create("source");
        socket = SampleTree.Build(source.Path);
        archive = Path.Combine(Ext4Mount.NewDirectory("archive"), "tree.tar");
        observer = new RecordingObserver();
        using var output = File.Create(archive);
        summary = TreeArchiver.Write(new ArchiveOptions { Root = source.Path }, output, observer, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void Cleanup()
    {
        socket?.Dispose();
        source?.Dispose();
        if (archive is not null) Directory.Delete(Path.GetDirectoryName(archive)!, recursive: true);
    }

    [Test]
    public void TreeExtractorRestoresEveryEntryExactly()
    {
        using var target = Ext4Mount.Create("own");
        var warnings = new List<string>();
        long restored;
        using (var input = File.OpenRead(archive))
            restored = TreeExtractor.Extract(input, target.Path, new ExtractOptions { OnWarning = warnings.Add },
                CancellationToken.None);
        Assert.That(warnings, Is.Empty);
        Assert.That(restored, Is.EqualTo(summary.Entries));
        Assert.That(TreeComparer.Compare(source.Path, target.Path, LeftOut), Is.Empty);
    }

    [Test]
    public void GnuTarRestoresEveryEntryExactlyButThe4096BytePath()
    {
        using var target = Ext4Mount.Create("gnutar");
        var tar = ExternalTool.Run("tar", "tar", ["-x", "--xattrs", "--xattrs-include=*", "--acls", "--numeric-owner",
            "-S", "-f", archive, "-C", target.Path]);
        // GNU tar 1.34 opens each member by its whole name, so a path of PATH_MAX (4096) bytes or more fails with
        // ENAMETOOLONG; that one file is the only error it may report.
        var errors = tar.Stderr.Split('\n').Where(line => line.Contains("Cannot")).ToList();
        Assert.That(errors, Has.Count.EqualTo(tar.ExitCode == 0 ? 0 : 1), tar.Stderr);
        Assert.That(errors, Has.All.Contains(Encoding.UTF8.GetString(SampleTree.LongPath) + ": Cannot open: File name too long"));
        var leftOut = LeftOut.Append(Encoding.Latin1.GetString(SampleTree.LongPath)).ToArray();
        Assert.That(TreeComparer.Compare(source.Path, target.Path, leftOut), Is.Empty);
        // find(1) as a second, independent reader of both trees: types, modes, owners, mtimes, names, link targets.
        Assert.That(FindListing(target.Path),
            Is.EqualTo(FindListing(source.Path).Where(line => !line.Contains(" ./sock ") && !line.Contains("/" + new string('f', 75) + " -> "))));
    }

    [Test]
    public void TreeExtractorRestoresWhatGnuTarArchived()
    {
        var gnuArchive = Path.Combine(Path.GetDirectoryName(archive)!, "gnu.tar");
        var tar = ExternalTool.Run("tar", "tar", ["-c", "--format=posix", "--xattrs", "--xattrs-include=*", "--acls",
            "--numeric-owner", "--sparse", "-f", gnuArchive, "-C", source.Path, "."]);
        Assert.That(tar.Stderr, Does.Contain("socket ignored"));
        using var target = Ext4Mount.Create("fromgnu");
        var warnings = new List<string>();
        using (var input = File.OpenRead(gnuArchive))
            TreeExtractor.Extract(input, target.Path, new ExtractOptions { OnWarning = warnings.Add }, CancellationToken.None);
        Assert.That(warnings, Is.Empty);
        Assert.That(TreeComparer.Compare(source.Path, target.Path, LeftOut), Is.Empty);
    }

    [Test]
    public void EveryEntryButTheSocketIsArchivedAndTheSocketIsWarnedAbout()
    {
        var listed = ExternalTool.RunOk("tar", "tar", ["-t", "-f", archive]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(listed, Has.Length.EqualTo(summary.Entries));
        Assert.That(listed, Does.Not.Contain("sock"));
        Assert.That(listed[0], Is.EqualTo("./"));
        Assert.That(observer.Warnings, Has.Count.EqualTo(1));
        Assert.That(observer.Warnings[0].Path, Does.EndWith("/sock"));
        Assert.That(observer.Warnings[0].Message, Does.Contain("socket"));
        Assert.That(summary.Warnings, Is.EqualTo(1));
        Assert.That(observer.Entries.All(e => e.Archived), Is.True);
        Assert.That(observer.Entries, Has.Count.EqualTo(summary.Entries));
    }

    [Test]
    public void HardLinksAreStoredOnceAndSparseFilesWithoutTheirHoles()
    {
        var links = observer.Entries.Select(e => e.Entry).Where(e => e.Type == Formats.Tar.TarEntryType.HardLink).ToList();
        Assert.That(links.Select(e => Encoding.UTF8.GetString(e.Path)), Is.EquivalentTo(new[] { "hard-a", "hard-c" }));
        Assert.That(links.Select(e => Encoding.UTF8.GetString(e.LinkTarget!)), Is.All.EqualTo("dir1/hard-b"));
        // 1 GiB + 64 MiB + 16 MiB of sparse files hold ~1.1 MiB of data; the rest of the tree is small.
        Assert.That(new FileInfo(archive).Length, Is.LessThan(8L << 20));
        Assert.That(summary.ContentBytes, Is.LessThan(4L << 20));
    }

    [Test]
    public void TheSameTreeGivesTheSameArchive()
    {
        using var again = new MemoryStream();
        TreeArchiver.Write(new ArchiveOptions { Root = source.Path }, again, new RecordingObserver(), CancellationToken.None);
        Assert.That(SHA256.HashData(again.ToArray()), Is.EqualTo(SHA256.HashData(File.ReadAllBytes(archive))));
    }

    private static List<string> FindListing(string root)
        => ExternalTool.RunOk("find", "findutils", [".", "-printf", "%y %m %U:%G %T@ %p -> %l\\n"], workingDirectory: root)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
}
