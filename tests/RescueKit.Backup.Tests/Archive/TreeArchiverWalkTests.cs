using System.Text;
using RescueKit.Backup.Archive;
using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>What the archiver leaves out and how it survives a changing tree: other filesystems, excludes, Select,
/// files that vanish or shrink while the backup runs. Archives are read back with GNU tar.</summary>
[TestFixture]
[NonParallelizable]
public sealed class TreeArchiverWalkTests
{
    private string root = null!;
    private string work = null!;

    [SetUp]
    public void MakeRoot()
    {
        Ext4Mount.RequireRoot();
        work = Ext4Mount.NewDirectory("walk");
        root = Path.Combine(work, "root");
        Directory.CreateDirectory(root);
    }

    [TearDown]
    public void RemoveRoot() => Directory.Delete(work, recursive: true);

    [Test]
    public void AFilesystemMountedInsideIsArchivedAsAnEmptyDirectory()
    {
        File.WriteAllText(Path.Combine(root, "file"), "on the root filesystem");
        var mountPoint = Directory.CreateDirectory(Path.Combine(root, "mnt")).FullName;
        using (Ext4Mount.Tmpfs(mountPoint))
        {
            File.WriteAllText(Path.Combine(mountPoint, "inside"), "on the tmpfs");
            Directory.CreateDirectory(Path.Combine(mountPoint, "subdir"));
            var (listing, _, _) = Archive(new ArchiveOptions { Root = root });
            Assert.That(listing, Is.EqualTo(new[] { "./", "file", "mnt/" }));
        }
    }

    [Test]
    public void ExcludedPathsAndEverythingUnderThemAreLeftOut()
    {
        foreach (var file in new[] { "keep.txt", "x.swp", "sub/y.swp", "sub/z.txt", "cache/big", "cache/deeper/more", "tmp/t1", "tmp/t2/t3" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
            File.WriteAllText(Path.Combine(root, file), file);
        }
        var options = new ArchiveOptions { Root = root, Excludes = ["*.swp", root + "/cache/", root + "/tmp/*"] };
        var (listing, summary, observer) = Archive(options);
        Assert.That(listing, Is.EqualTo(new[] { "./", "keep.txt", "sub/", "sub/z.txt", "tmp/" }));
        Assert.That(summary.Warnings, Is.Zero);
        Assert.That(observer.Entries.Select(e => Encoding.UTF8.GetString(e.Entry.Path)),
            Is.EqualTo(new[] { ".", "keep.txt", "sub", "sub/z.txt", "tmp" }));
    }

    [Test]
    public void SelectLeavesEntriesOutButItsDirectoriesAreStillWalked()
    {
        File.WriteAllText(Path.Combine(root, "new.txt"), "new");
        File.WriteAllText(Path.Combine(root, "old.txt"), "old");
        Directory.CreateDirectory(Path.Combine(root, "olddir"));
        File.WriteAllText(Path.Combine(root, "olddir", "new-inside.txt"), "new");
        var asked = new List<string>();
        var options = new ArchiveOptions
        {
            Root = root,
            Select = entry =>
            {
                var path = Encoding.UTF8.GetString(entry.Path);
                asked.Add(path);
                return !path.StartsWith("old") || path.Contains("new");
            },
        };
        var (listing, summary, observer) = Archive(options);
        Assert.That(listing, Is.EqualTo(new[] { "./", "new.txt", "olddir/new-inside.txt" }));
        Assert.That(asked, Is.EqualTo(new[] { ".", "new.txt", "old.txt", "olddir", "olddir/new-inside.txt" }));
        Assert.That(observer.Entries.Where(e => !e.Archived).Select(e => Encoding.UTF8.GetString(e.Entry.Path)),
            Is.EqualTo(new[] { "old.txt", "olddir" }));
        Assert.That(summary.Entries, Is.EqualTo(3));
    }

    [Test]
    public void FilesThatVanishOrShrinkDuringTheBackupAreWarnedAboutAndTheArchiveStaysValid()
    {
        var original = SampleTree.RandomBytes(3 << 20, seed: 7);
        foreach (var name in new[] { "a", "b", "c", "d", "e" }) File.WriteAllBytes(Path.Combine(root, name), original);
        var observer = new RecordingObserver
        {
            // Deleted after "a" was archived: the walk listed "b" but finds it gone at lstat.
            AfterEntry = entry =>
            {
                if (entry.Path.AsSpan().SequenceEqual("a"u8)) File.Delete(Path.Combine(root, "b"));
            },
        };
        var options = new ArchiveOptions
        {
            Root = root,
            Select = entry =>
            {
                // Between lstat and open: "c" goes away, "d" loses two thirds of its bytes.
                if (entry.Path.AsSpan().SequenceEqual("c"u8)) File.Delete(Path.Combine(root, "c"));
                if (entry.Path.AsSpan().SequenceEqual("d"u8))
                    using (var d = File.OpenWrite(Path.Combine(root, "d"))) d.SetLength(1 << 20);
                return true;
            },
        };
        var (listing, summary, _) = Archive(options, observer);
        Assert.That(listing, Is.EqualTo(new[] { "./", "a", "d", "e" }));
        Assert.That(observer.Warnings.Select(w => (Path.GetFileName(w.Path), w.Message.Contains("vanished") || w.Message.Contains("shrank"))),
            Is.EqualTo(new[] { ("b", true), ("c", true), ("d", true) }));
        Assert.That(summary.Warnings, Is.EqualTo(3));

        // The shrunk file is archived at its size when the walk saw it, the lost bytes as zeros; "e" after it is intact.
        var extracted = Path.Combine(work, "extracted");
        Directory.CreateDirectory(extracted);
        ExternalTool.RunOk("tar", "tar", ["-x", "-f", Path.Combine(work, "archive.tar"), "-C", extracted]);
        var d = File.ReadAllBytes(Path.Combine(extracted, "d"));
        Assert.That(d, Has.Length.EqualTo(original.Length));
        Assert.That(d.AsSpan(0, 1 << 20).SequenceEqual(original.AsSpan(0, 1 << 20)), Is.True);
        Assert.That(d.AsSpan(1 << 20).ContainsAnyExcept((byte)0), Is.False);
        Assert.That(File.ReadAllBytes(Path.Combine(extracted, "e")), Is.EqualTo(original));
    }

    [Test]
    public void ADirectoryThatVanishesBeforeItIsReadIsArchivedEmpty()
    {
        Directory.CreateDirectory(Path.Combine(root, "going", "deeper"));
        File.WriteAllText(Path.Combine(root, "going", "file"), "x");
        File.WriteAllText(Path.Combine(root, "staying"), "y");
        var observer = new RecordingObserver
        {
            // Reported once its header is written, before the walk opens it to list it.
            AfterEntry = entry =>
            {
                if (entry.Path.AsSpan().SequenceEqual("going"u8)) Directory.Delete(Path.Combine(root, "going"), recursive: true);
            },
        };
        var (listing, summary, _) = Archive(new ArchiveOptions { Root = root }, observer);
        Assert.That(listing, Is.EqualTo(new[] { "./", "going/", "staying" }));
        Assert.That(observer.Warnings, Has.Count.EqualTo(1));
        Assert.That(observer.Warnings[0].Path, Is.EqualTo(Path.Combine(root, "going")));
        Assert.That(observer.Warnings[0].Message, Does.Contain("archived empty").And.Contain("vanished"));
        Assert.That(summary.Warnings, Is.EqualTo(1));
    }

    [Test]
    public void CancellingStopsTheWalk()
    {
        foreach (var name in new[] { "a", "b", "c" }) File.WriteAllText(Path.Combine(root, name), name);
        using var cancel = new CancellationTokenSource();
        var seen = new List<string>();
        var options = new ArchiveOptions
        {
            Root = root,
            Select = entry =>
            {
                seen.Add(Encoding.UTF8.GetString(entry.Path));
                if (entry.Path.AsSpan().SequenceEqual("a"u8)) cancel.Cancel();
                return true;
            },
        };
        Assert.Throws<OperationCanceledException>(() =>
            TreeArchiver.Write(options, Stream.Null, new RecordingObserver(), cancel.Token));
        Assert.That(seen, Is.EqualTo(new[] { ".", "a" }));
    }

    [Test]
    public void AMissingRootIsABadInput()
    {
        var e = Assert.Throws<BadInputException>(() =>
            TreeArchiver.Write(new ArchiveOptions { Root = Path.Combine(root, "absent") }, Stream.Null,
                new RecordingObserver(), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("absent").And.Contain("No such file or directory"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }

    // Archives to a file beside the root and lists it with GNU tar (which must read it without error).
    private (string[] Listing, ArchiveSummary Summary, RecordingObserver Observer) Archive(ArchiveOptions options,
        RecordingObserver? observer = null)
    {
        observer ??= new RecordingObserver();
        var archive = Path.Combine(work, "archive.tar");
        ArchiveSummary summary;
        using (var output = File.Create(archive))
            summary = TreeArchiver.Write(options, output, observer, CancellationToken.None);
        var listing = ExternalTool.RunOk("tar", "tar", ["-t", "-f", archive]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (listing, summary, observer);
    }
}
