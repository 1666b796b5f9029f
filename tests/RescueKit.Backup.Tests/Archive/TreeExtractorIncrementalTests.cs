using RescueKit.Host.Native;
using RescueKit.Tests.Shared;
using System.Text;
using RescueKit.Backup.Archive;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>
/// A full archive, then an incremental one (Select: changed since the full) with its deletions, restored on top of
/// each other give exactly the later tree: files rewritten, a directory replaced by a file and a symlink by a
/// directory, deleted entries gone, directory mtimes right.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TreeExtractorIncrementalTests
{
    private string work = null!;
    private string source = null!;
    private string target = null!;

    [SetUp]
    public void MakeWork()
    {
        Ext4Mount.RequireRoot();
        work = Ext4Mount.NewDirectory("incremental");
        source = Directory.CreateDirectory(Path.Combine(work, "source")).FullName;
        target = Directory.CreateDirectory(Path.Combine(work, "target")).FullName;
    }

    [TearDown]
    public void RemoveWork() => Directory.Delete(work, recursive: true);

    [Test]
    public void FullThenDeletionsThenIncrementalGiveTheLaterTree()
    {
        File.WriteAllText(Path.Combine(source, "changed"), "version 1");
        File.WriteAllText(Path.Combine(source, "unchanged"), "same in both");
        File.WriteAllText(Path.Combine(source, "deleted"), "only in the full backup");
        Directory.CreateDirectory(Path.Combine(source, "dir-becomes-file", "sub"));
        File.WriteAllText(Path.Combine(source, "dir-becomes-file", "sub", "x"), "x");
        File.CreateSymbolicLink(Path.Combine(source, "link-becomes-dir"), "unchanged");

        var (full, fullEntries) = Archive(source, select: null);
        var since = fullEntries.Max(e => e.CtimeNanoseconds);
        Thread.Sleep(50); // ctime ticks with the kernel's coarse clock

        File.WriteAllText(Path.Combine(source, "changed"), "version 2, longer");
        File.Delete(Path.Combine(source, "deleted"));
        Directory.Delete(Path.Combine(source, "dir-becomes-file"), recursive: true);
        File.WriteAllText(Path.Combine(source, "dir-becomes-file"), "now a file");
        File.Delete(Path.Combine(source, "link-becomes-dir"));
        Directory.CreateDirectory(Path.Combine(source, "link-becomes-dir"));
        File.WriteAllText(Path.Combine(source, "link-becomes-dir", "inside"), "new");

        var (incremental, laterEntries) = Archive(source, select: e => e.CtimeNanoseconds > since);
        var later = laterEntries.Select(e => Encoding.UTF8.GetString(e.Path)).ToHashSet();
        var deletions = fullEntries.Select(e => Encoding.UTF8.GetString(e.Path)).Where(p => !later.Contains(p)).ToList();
        Assert.That(deletions, Is.EqualTo(new[] { "deleted", "dir-becomes-file/sub", "dir-becomes-file/sub/x" }));

        TreeExtractor.Extract(new MemoryStream(full), target, new ExtractOptions(), CancellationToken.None);
        TreeExtractor.Delete(target, deletions.Select(Encoding.UTF8.GetBytes));
        var restored = TreeExtractor.Extract(new MemoryStream(incremental), target, new ExtractOptions(), CancellationToken.None);

        Assert.That(restored, Is.LessThan(laterEntries.Count), "the incremental archive holds only what changed");
        Assert.That(TreeComparer.Compare(source, target, []), Is.Empty);
    }

    [Test]
    public void ARestoreOverAnExistingDirectoryWithADefaultAclGivesNoAclToFilesThatHadNone()
    {
        // A file created in a directory with a default ACL inherits it; restored over an existing tree (an incremental
        // on top of a full one) such a directory is already there, so the extractor must drop what was inherited.
        using var fs = Ext4Mount.Create("acl-restore", 64L << 20);
        var tree = Directory.CreateDirectory(Path.Combine(fs.Path, "source", "shared")).FullName;
        var restoreRoot = Directory.CreateDirectory(Path.Combine(fs.Path, "target")).FullName;
        ExternalTool.RunOk("setfacl", "acl", ["-d", "-m", "u:12345:rwx", tree]);
        File.WriteAllText(Path.Combine(tree, "plain"), "no acl of its own");
        ExternalTool.RunOk("setfacl", "acl", ["-b", Path.Combine(tree, "plain")]);
        var (archive, _) = Archive(Path.GetDirectoryName(tree)!, select: null);

        TreeExtractor.Extract(new MemoryStream(archive), restoreRoot, new ExtractOptions(), CancellationToken.None);
        TreeExtractor.Extract(new MemoryStream(archive), restoreRoot, new ExtractOptions(), CancellationToken.None);

        var acl = ExternalTool.Run("getfattr", "attr", ["-n", "system.posix_acl_access", Path.Combine(restoreRoot, "shared", "plain")]);
        Assert.That(acl.ExitCode, Is.Not.Zero, $"the restored file has an ACL it never had:\n{acl.Stdout}");
        Assert.That(ExternalTool.RunOk("getfacl", "acl", ["-d", Path.Combine(restoreRoot, "shared")]), Does.Contain("user:12345:rwx"),
            "the directory keeps its default ACL");
    }

    [Test]
    public void WithoutRestoreOwnersTheFilesBelongToTheRestoringUser()
    {
        File.WriteAllText(Path.Combine(source, "owned"), "by 12345");
        File.CreateSymbolicLink(Path.Combine(source, "link"), "owned");
        using (var top = DirectoryHandle.Open(source))
        {
            top.SetOwner("owned"u8, SampleTree.OddOwner, SampleTree.OddOwner);
            top.SetOwner("link"u8, SampleTree.OddOwner, SampleTree.OddOwner);
        }
        var (archive, _) = Archive(source, select: null);
        TreeExtractor.Extract(new MemoryStream(archive), target, new ExtractOptions { RestoreOwners = false },
            CancellationToken.None);
        using var restored = DirectoryHandle.Open(target);
        Assert.That(restored.Stat("owned"u8).Uid, Is.Zero);
        Assert.That(restored.Stat("link"u8).Gid, Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(target, "owned")), Is.EqualTo("by 12345"));
    }

    private static (byte[] Archive, List<ArchivedEntry> Entries) Archive(string root, Func<ArchivedEntry, bool>? select)
    {
        var observer = new RecordingObserver();
        var output = new MemoryStream();
        TreeArchiver.Write(new ArchiveOptions { Root = root, Select = select }, output, observer, CancellationToken.None);
        return (output.ToArray(), observer.Entries.Select(e => e.Entry).ToList());
    }
}
