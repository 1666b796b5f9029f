using System.Text;
using RescueKit.Backup.Archive;
using RescueKit.Core;
using RescueKit.Formats.Tar;
using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>
/// Archive members that try to write outside the restore target (DESIGN §2) are refused, each reported by one warning
/// naming the member and why, and skipped: nothing appears outside, and the members after them are still restored.
/// Delete refuses the same escapes (it throws). The outside is a sibling directory of the target that must stay empty.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TreeExtractorSafetyTests
{
    private string work = null!;
    private string target = null!;
    private string outside = null!;

    [SetUp]
    public void MakeDirectories()
    {
        Ext4Mount.RequireRoot();
        work = Ext4Mount.NewDirectory("safety");
        target = Directory.CreateDirectory(Path.Combine(work, "a", "b", "target")).FullName;
        outside = Directory.CreateDirectory(Path.Combine(work, "outside")).FullName;
    }

    [TearDown]
    public void RemoveDirectories() => Directory.Delete(work, recursive: true);

    [Test]
    public void AMemberWithDotDotIsRefused()
    {
        var archive = Pax(FileMember("../../../outside/evil"));
        AssertRefused(archive, "../../../outside/evil", "'..'");
    }

    [Test]
    public void ADotDotAfterARealDirectoryIsRefusedToo()
    {
        var archive = Pax(DirectoryMember("sub"), FileMember("sub/../../../../outside/evil"));
        AssertRefused(archive, "sub/../../../../outside/evil", "'..'");
    }

    [Test]
    public void AnAbsoluteMemberMadeByGnuTarIsRefused()
    {
        var victim = Path.Combine(outside, "victim");
        File.WriteAllText(victim, "to be archived by its absolute name");
        var archive = Path.Combine(work, "absolute.tar");
        ExternalTool.RunOk("tar", "tar", ["--absolute-names", "-c", "-f", archive, victim]);
        File.Delete(victim);
        using (var input = File.OpenRead(archive))
        {
            var warnings = ExtractCollecting(input);
            Assert.That(warnings, Has.Count.EqualTo(1));
            Assert.That(warnings[0], Does.Contain(victim).And.Contain("absolute"));
        }
        Assert.That(Directory.EnumerateFileSystemEntries(outside), Is.Empty);
    }

    [Test]
    public void AMemberUnderASymlinkPlantedByTheArchiveIsRefused()
    {
        var archive = Pax(SymlinkMember("a", outside), FileMember("a/x"));
        AssertRefused(archive, "a/x", "symlink");
        Assert.That(new FileInfo(Path.Combine(target, "a")).LinkTarget, Is.EqualTo(outside));
    }

    [Test]
    public void AMemberUnderASymlinkAlreadyOnDiskIsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(target, "link"), outside);
        AssertRefused(Pax(FileMember("link/deeper/x")), "link/deeper/x", "symlink");
        // A directory member where the symlink is replaces the symlink, so what follows lands inside.
        Extract(new MemoryStream(Pax(DirectoryMember("link"), FileMember("link/x"))));
        Assert.That(File.ReadAllText(Path.Combine(target, "link", "x")), Is.EqualTo("evil\n"));
        Assert.That(new DirectoryInfo(Path.Combine(target, "link")).LinkTarget, Is.Null);
        Assert.That(Directory.EnumerateFileSystemEntries(outside), Is.Empty);
    }

    [Test]
    public void AHardLinkOutsideTheTargetIsRefused()
    {
        AssertRefused(Pax(HardLinkMember("passwd", "../../etc/passwd")), "passwd", "hard link target");
        AssertRefused(Pax(HardLinkMember("passwd", "/etc/passwd")), "passwd", "absolute hard link target");
        // Through a symlink the archive itself planted: linking /etc/passwd in would let later members chmod it.
        AssertRefused(Pax(SymlinkMember("etc", "/etc"), HardLinkMember("passwd", "etc/passwd")), "passwd", "symlink");
        Assert.That(File.Exists(Path.Combine(target, "passwd")), Is.False);
    }

    [Test]
    public void ACorruptArchiveIsABadInput()
    {
        var garbage = SampleTree.RandomBytes(4096, seed: 3);
        var e = Assert.Throws<BadInputException>(() => Extract(new MemoryStream(garbage)));
        Assert.That(e!.Message, Does.Contain("corrupt"));
    }

    [Test]
    public void DeleteRemovesFilesAndTreesAndRefusesEscapes()
    {
        Directory.CreateDirectory(Path.Combine(target, "dir/sub"));
        File.WriteAllText(Path.Combine(target, "dir/sub/f"), "f");
        File.WriteAllText(Path.Combine(target, "file"), "f");
        File.WriteAllText(Path.Combine(outside, "keep"), "outside");
        File.CreateSymbolicLink(Path.Combine(target, "link"), outside);

        TreeExtractor.Delete(target, [B("file"), B("dir"), B("never/existed"), B("file/under-a-file")]);
        Assert.That(Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName), Is.EqualTo(new[] { "link" }));

        var e = Assert.Throws<MemberRefusedException>(() => TreeExtractor.Delete(target, [B("link/keep")]));
        Assert.That(e!.Message, Does.Contain("link/keep").And.Contain("symlink"));
        Assert.Throws<MemberRefusedException>(() => TreeExtractor.Delete(target, [B("../../../outside/keep")]));
        Assert.Throws<MemberRefusedException>(() => TreeExtractor.Delete(target, [B(Path.Combine(outside, "keep"))]));
        Assert.That(File.Exists(Path.Combine(outside, "keep")), Is.True);
        // Deleting the symlink itself is fine and leaves what it points to alone.
        TreeExtractor.Delete(target, [B("link")]);
        Assert.That(Directory.EnumerateFileSystemEntries(target), Is.Empty);
        Assert.That(File.Exists(Path.Combine(outside, "keep")), Is.True);
    }

    /// <summary>Extracts <paramref name="archive"/> followed by one harmless member: the escaping member is reported
    /// once and skipped, nothing lands outside, and the harmless member after it is restored.</summary>
    private void AssertRefused(byte[] archive, string member, string reason)
    {
        var followed = Concatenate(archive, Pax(FileMember("after-the-refused")));
        var warnings = ExtractCollecting(new MemoryStream(followed));
        var refusal = warnings.Where(w => w.Contains($"'{member}'", StringComparison.Ordinal)).ToList();
        Assert.That(refusal, Has.Count.EqualTo(1), string.Join('\n', warnings));
        Assert.That(refusal[0], Does.Contain(reason).And.Contain("refused"));
        Assert.That(Directory.EnumerateFileSystemEntries(outside), Is.Empty, "something was written outside");
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(work, "a", "b")), Is.EqualTo(new[] { target }));
        Assert.That(File.ReadAllText(Path.Combine(target, "after-the-refused")), Is.EqualTo("evil\n"), "the rest was restored");
    }

    private long Extract(Stream input) => TreeExtractor.Extract(input, target, new ExtractOptions(), CancellationToken.None);

    private List<string> ExtractCollecting(Stream input)
    {
        var warnings = new List<string>();
        TreeExtractor.Extract(input, target, new ExtractOptions { OnWarning = warnings.Add }, CancellationToken.None);
        return warnings;
    }

    /// <summary>Two archives as one stream: the first without its end-of-archive blocks.</summary>
    private static byte[] Concatenate(byte[] first, byte[] second)
    {
        var end = first.Length;
        while (end >= 512 && first.AsSpan(end - 512, 512).IndexOfAnyExcept((byte)0) < 0) end -= 512;
        return [.. first.AsSpan(0, end), .. second];
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static (TarEntry Entry, byte[]? Data) FileMember(string path) =>
        (new TarEntry { Path = B(path), Type = TarEntryType.Regular, Mode = 0b110_100_100, Size = 5 }, B("evil\n"));

    private static (TarEntry Entry, byte[]? Data) DirectoryMember(string path) =>
        (new TarEntry { Path = B(path), Type = TarEntryType.Directory, Mode = 0b111_101_101 }, null);

    private static (TarEntry Entry, byte[]? Data) SymlinkMember(string path, string target) =>
        (new TarEntry { Path = B(path), Type = TarEntryType.Symlink, Mode = 0b111_111_111, LinkName = B(target) }, null);

    private static (TarEntry Entry, byte[]? Data) HardLinkMember(string path, string target) =>
        (new TarEntry { Path = B(path), Type = TarEntryType.HardLink, Mode = 0b110_100_100, LinkName = B(target) }, null);

    private static byte[] Pax(params (TarEntry Entry, byte[]? Data)[] members)
    {
        var output = new MemoryStream();
        using (var writer = new PaxWriter(output, leaveOpen: true))
        {
            foreach (var (entry, data) in members)
                writer.WriteEntry(entry, data is null ? null : new MemoryStream(data));
            writer.Finish();
        }
        return output.ToArray();
    }
}
