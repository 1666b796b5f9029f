using System.Text;
using RescueKit.Backup.Archive;
using RescueKit.Core.Backup;
using RescueKit.Restore.Review;

namespace RescueKit.Restore.Tests.Review;

/// <summary>The backup's files as the file picker browses them: each set under its mount point, sorted when opened.</summary>
public sealed class CatalogTreeTests
{
    private static readonly Dictionary<string, string> MountPoints = new() { ["root"] = "/", ["home"] = "/home" };

    private static CatalogEntry E(string set, string path, string type = CatalogTypes.File, long size = 0, bool deleted = false) =>
        new() { Set = set, Path = path, Type = type, Size = size, Deleted = deleted };

    private static CatalogTree Sample() => CatalogTree.Of([
        E("root", ".", CatalogTypes.Directory),
        E("root", "etc", CatalogTypes.Directory),
        E("root", "etc/zz.conf", size: 3),
        E("root", "etc/ssh", CatalogTypes.Directory),
        E("root", "etc/ssh/ssh_host_ed25519_key.pub", size: 90),
        E("root", "etc/a.conf", size: 5),
        E("root", "etc/gone", deleted: true),
        E("home", ".", CatalogTypes.Directory),
        E("home", "alice/notes [draft]*.txt", size: 12), // its directory comes only later in the catalog
        E("home", "alice", CatalogTypes.Directory),
        E("other", "not/a/set/here"),
    ], MountPoints);

    [Test]
    public void EachSetHangsBelowItsMountPoint_AndADirectoryListsItsDirectoriesFirst()
    {
        var tree = Sample();
        Assert.That(tree.Children(CatalogTree.Root).Select(tree.Name), Is.EqualTo(new[] { "etc", "home" }));
        var etc = tree.Find("/etc")!.Value;
        Assert.That(tree.Children(etc).Select(tree.Name), Is.EqualTo(new[] { "ssh", "a.conf", "zz.conf" }), "the deleted entry is gone");
        var key = tree.Find("/etc/ssh/ssh_host_ed25519_key.pub")!.Value;
        Assert.That((tree.PathOf(key), tree.Size(key), tree.IsDirectory(key)), Is.EqualTo(("/etc/ssh/ssh_host_ed25519_key.pub", 90L, false)));
        Assert.That(tree.Find("/home/alice")!.Value, Is.Not.Null);
        Assert.That(tree.Children(tree.Find("/home/alice")!.Value), Has.Count.EqualTo(1), "the directory made early is the one the catalog lists later");
        Assert.That(tree.Find("/not"), Is.Null, "an entry of a set the backup does not have is left out");
        Assert.That(tree.Count, Is.EqualTo(9));
    }

    [Test]
    public void TheIncludeOfAPickedFile_RestoresExactlyIt_EvenWithGlobCharactersInItsName()
    {
        var tree = Sample();
        var picked = tree.Find("/home/alice/notes [draft]*.txt")!.Value;
        var filter = new IncludeFilter([tree.IncludeOf(picked)], "/home");

        Assert.That(filter.Wants(Encoding.UTF8.GetBytes("alice/notes [draft]*.txt"), isDirectory: false), Is.True);
        Assert.That(filter.Wants(Encoding.UTF8.GetBytes("alice/notes d.txt"), isDirectory: false), Is.False);
        Assert.That(filter.Wants(Encoding.UTF8.GetBytes("alice/notes [draft]x.txt"), isDirectory: false), Is.False);
        Assert.That(filter.Wants("alice"u8, isDirectory: true), Is.True, "the directory above comes back with its metadata");
    }

    [Test]
    public void AMillionEntries_AreReadInOnePass_AndADirectoryOfThemOpens()
    {
        static IEnumerable<CatalogEntry> Many()
        {
            yield return E("root", ".", CatalogTypes.Directory);
            for (var d = 0; d < 1000; d++)
            {
                yield return E("root", $"d{d:D4}", CatalogTypes.Directory);
                for (var f = 0; f < 1000; f++) yield return E("root", $"d{d:D4}/f{f:D4}", size: f);
            }
        }
        var tree = CatalogTree.Of(Many(), MountPoints);
        Assert.That(tree.Count, Is.EqualTo(1 + 1000 + 1_000_000));
        var children = tree.Children(tree.Find("/d0999")!.Value);
        Assert.That((children.Count, tree.Name(children[0]), tree.Name(children[^1]), tree.Size(children[^1])), Is.EqualTo((1000, "f0000", "f0999", 999L)));
    }
}
