using RescueKit.Media.Rootfs;

namespace RescueKit.Media.Tests;

public class RootfsManifestTests
{
    [Test]
    public void AddHostFile_MirrorsMergedUsrAndFollowsLibrarySymlinks()
    {
        // Given a host root laid out like Debian 12: /lib -> usr/lib, libfoo.so.1 -> libfoo.so.1.2.3
        using var host = new TempDirectory();
        host.Write("usr/lib/x86_64-linux-gnu/libfoo.so.1.2.3", "ELF");
        File.CreateSymbolicLink(host.Combine("usr/lib/x86_64-linux-gnu/libfoo.so.1"), "libfoo.so.1.2.3");
        File.CreateSymbolicLink(host.Combine("lib"), "usr/lib");
        var manifest = new RootfsManifest();

        // When the library is added by the name the loader uses
        var added = manifest.AddHostFile(host.Combine("lib/x86_64-linux-gnu/libfoo.so.1"), "lib/x86_64-linux-gnu/libfoo.so.1", host.Path);

        // Then the tree holds the directory link, the library link and the real file, each where the host has it
        Assert.That(added, Is.True);
        var byPath = manifest.Entries.ToDictionary(e => e.Path);
        Assert.That(byPath["lib"].Kind, Is.EqualTo(RootfsEntryKind.Symlink));
        Assert.That(byPath["lib"].LinkTarget, Is.EqualTo("usr/lib"));
        Assert.That(byPath["usr/lib/x86_64-linux-gnu/libfoo.so.1"].LinkTarget, Is.EqualTo("libfoo.so.1.2.3"));
        Assert.That(byPath["usr/lib/x86_64-linux-gnu/libfoo.so.1.2.3"].HostPath,
            Is.EqualTo(host.Combine("usr/lib/x86_64-linux-gnu/libfoo.so.1.2.3")));
        Assert.That(byPath.ContainsKey("lib/x86_64-linux-gnu/libfoo.so.1"), Is.False, "nothing may be stored behind a link");
    }

    [Test]
    public void AddGenerated_BehindADirectoryLink_LandsInTheLinkTarget()
    {
        var manifest = new RootfsManifest();
        manifest.AddSymlink("lib", "usr/lib");
        manifest.AddDirectory("usr/lib");

        manifest.AddGenerated("lib/modules/6.1/modules.dep", "x");

        Assert.That(manifest.Entries.Select(e => e.Path), Does.Contain("usr/lib/modules/6.1/modules.dep"));
        Assert.That(manifest.Contains("lib/modules/6.1/modules.dep"), Is.True);
    }

    [Test]
    public void AnEntryWhoseDirectoryIsALink_IsStoredInTheLinkTarget()
    {
        // The kernel cannot unpack bin/sh when bin is a link: the entry must go where the link points.
        var manifest = new RootfsManifest();
        manifest.AddSymlink("bin", "usr/bin");

        manifest.AddSymlink("bin/sh", "/usr/bin/busybox");

        Assert.That(manifest.Entries.Select(e => e.Path), Does.Contain("usr/bin/sh").And.Not.Contain("bin/sh"));
        Assert.That(manifest.Contains("bin/sh"), Is.True);
    }

    [Test]
    public void Entries_AreOrderedParentsFirst()
    {
        var manifest = new RootfsManifest();
        manifest.AddGenerated("usr/bin/tool", "x");
        manifest.AddGenerated("usr-local", "y");
        manifest.AddDirectory("etc");

        var paths = manifest.Entries.Select(e => e.Path).ToList();

        foreach (var p in paths.Where(p => p.Contains('/')))
            Assert.That(paths.IndexOf(p[..p.LastIndexOf('/')]), Is.LessThan(paths.IndexOf(p)), p);
    }

    [Test]
    public void ReplacingADirectoryWithAFile_IsRefused()
    {
        var manifest = new RootfsManifest();
        manifest.AddDirectory("etc/rescuekit");

        Assert.That(() => manifest.AddGenerated("etc/rescuekit", "x"),
            Throws.InvalidOperationException.With.Message.Contains("etc/rescuekit"));
    }

    [Test]
    public void AddHostFile_ThatDoesNotExist_ReturnsFalse()
    {
        using var host = new TempDirectory();
        Assert.That(new RootfsManifest().AddHostFile(host.Combine("nope"), "nope", host.Path), Is.False);
    }
}
