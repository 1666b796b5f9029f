using RescueKit.Host.Native;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>The comparer the round-trip tests rely on notices each kind of difference they claim to check.</summary>
[TestFixture]
[NonParallelizable]
public sealed class TreeComparerTests
{
    private string left = null!;
    private string right = null!;

    [SetUp]
    public void MakeTwoEqualTrees()
    {
        Ext4Mount.RequireRoot();
        var work = Ext4Mount.NewDirectory("comparer");
        left = Directory.CreateDirectory(Path.Combine(work, "left")).FullName;
        right = Directory.CreateDirectory(Path.Combine(work, "right")).FullName;
        foreach (var root in new[] { left, right })
        {
            File.WriteAllText(Path.Combine(root, "f"), "content");
            File.WriteAllText(Path.Combine(root, "g"), "content");
            File.CreateSymbolicLink(Path.Combine(root, "l"), "f");
            using (var sparse = File.Create(Path.Combine(root, "sparse"))) sparse.SetLength(1 << 20);
            using var top = DirectoryHandle.Open(root);
            top.CreateHardLink("h"u8, top, "f"u8);
            foreach (var name in new[] { "f", "g", "l", "sparse", "." })
                top.SetModificationTime(SampleTree.B(name), 1_700_000_000_000_000_001);
        }
    }

    [TearDown]
    public void Remove() => Directory.Delete(Path.GetDirectoryName(left)!, recursive: true);

    [Test]
    public void EqualTreesHaveNoDifferences() => Assert.That(TreeComparer.Compare(left, right, []), Is.Empty);

    [TestCase("mtime")]
    [TestCase("mode")]
    [TestCase("owner")]
    [TestCase("content")]
    [TestCase("xattrs")]
    [TestCase("link target")]
    [TestCase("hard links")]
    [TestCase("blocks allocated")]
    [TestCase("missing")]
    public void EachDifferenceIsReported(string what)
    {
        using (var top = DirectoryHandle.Open(right))
        {
            switch (what)
            {
                case "mtime": top.SetModificationTime("g"u8, 1_700_000_000_000_000_002); break;
                case "mode": top.SetMode("g"u8, 0b111_000_000); break;
                case "owner": top.SetOwner("g"u8, 1, 1); break;
                case "content":
                    File.WriteAllText(Path.Combine(right, "g"), "CONTENT");
                    top.SetModificationTime("g"u8, 1_700_000_000_000_000_001);
                    break;
                case "xattrs": top.SetXattr("g"u8, new Xattr("user.x"u8.ToArray(), [1])); break;
                case "link target":
                    File.Delete(Path.Combine(right, "l"));
                    File.CreateSymbolicLink(Path.Combine(right, "l"), "g");
                    top.SetModificationTime("l"u8, 1_700_000_000_000_000_001);
                    break;
                case "hard links":
                    File.Delete(Path.Combine(right, "h"));
                    File.Copy(Path.Combine(right, "f"), Path.Combine(right, "h"));
                    break;
                case "blocks allocated":
                    File.WriteAllBytes(Path.Combine(right, "sparse"), new byte[1 << 20]);
                    top.SetModificationTime("sparse"u8, 1_700_000_000_000_000_001);
                    break;
                case "missing": File.Delete(Path.Combine(right, "g")); break;
            }
            top.SetModificationTime("."u8, 1_700_000_000_000_000_001);
        }
        Assert.That(TreeComparer.Compare(left, right, []), Has.Some.Contains(what));
    }
}
