using NUnit.Framework;
using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Discovery.Tests;

/// <summary>
/// Library search rules on programs built here with gcc: prog needs libfoo.so.1 (a symlink to libfoo.so.1.0),
/// which needs libbar.so; only prog carries a search path, "$ORIGIN/../lib".
/// </summary>
[Category("Oracle")]
public class LibraryClosureSyntheticTests
{
    private FakeTree tree = null!;

    [SetUp]
    public void SetUp() => tree = new FakeTree();

    [TearDown]
    public void TearDown() => tree.Dispose();

    [Test]
    public void RPath_WithOrigin_IsInheritedByTheLibrariesItLoads()
    {
        var prog = Build("/app", "--disable-new-dtags"); // DT_RPATH

        var closure = LibraryClosure.Resolve([prog]);

        Assert.That(closure, Is.SupersetOf(new[]
        {
            tree.PathOf("/app/bin/prog"), tree.PathOf("/app/lib/libfoo.so.1"), tree.PathOf("/app/lib/libfoo.so.1.0"),
            tree.PathOf("/app/lib/libbar.so"),
        }));
        Assert.That(closure.Where(p => p.StartsWith(tree.Root, StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(4), "nothing else from the tree: not the sources");
    }

    [Test]
    public void ProgramGivenThroughASymlink_TakesOriginFromItsResolvedPath()
    {
        Build("/app");
        var link = tree.Symlink("/elsewhere/bin/prog", "../../app/bin/prog"); // $ORIGIN/../lib from here would be /elsewhere/lib

        var closure = LibraryClosure.Resolve([link]);

        Assert.That(closure, Is.SupersetOf(new[]
        {
            link, tree.PathOf("/app/bin/prog"), tree.PathOf("/app/lib/libfoo.so.1"), tree.PathOf("/app/lib/libbar.so"),
        }));
    }

    [Test]
    public void RunPath_IsNotInherited_SoTheMissingLibraryIsNamedWithItsNeeder()
    {
        var prog = Build("/app", "--enable-new-dtags"); // DT_RUNPATH: libfoo's own lookup of libbar gets no path

        var e = Assert.Throws<LibraryNotFoundException>(() => LibraryClosure.Resolve([prog]));

        Assert.That(e!.Library, Is.EqualTo("libbar.so"));
        Assert.That(e.NeededBy, Is.EqualTo(tree.PathOf("/app/lib/libfoo.so.1")));
        Assert.That(e.Message, Does.Contain("libbar.so").And.Contain("libfoo.so.1"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingPrerequisite));
    }

    [Test]
    public void UnderARoot_LdSoConfIncludes_AreSearched_And32BitDecoysSkipped()
    {
        Build("/build", rpath: null);
        tree.File("/etc/ld.so.conf", "# test\ninclude /etc/ld.so.conf.d/*.conf\n");
        tree.File("/etc/ld.so.conf.d/zz-none.conf", "\n");
        tree.File("/etc/ld.so.conf.d/app.conf", "/opt/app/lib  # ours\n");
        foreach (var lib in new[] { "libfoo.so.1.0", "libbar.so" })
            Copy(tree.PathOf($"/build/lib/{lib}"), $"/opt/app/lib/{lib}");
        tree.Symlink("/opt/app/lib/libfoo.so.1", "libfoo.so.1.0");
        var prog = Copy(tree.PathOf("/build/bin/prog"), "/usr/bin/prog");
        // The loader and libc the program names, under the root; a 32-bit libc earlier on the path must be passed over.
        Copy("/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6");
        Copy("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        tree.Symlink("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        var decoy = File.ReadAllBytes("/lib/x86_64-linux-gnu/libc.so.6");
        decoy[4] = 1; // ELFCLASS32
        tree.File("/opt/app/lib/libc.so.6", decoy);

        Assert.That(ProgramLocator.Find("prog", tree.Root), Is.EqualTo(prog));
        var closure = LibraryClosure.Resolve([prog], tree.Root);

        Assert.That(closure, Is.EquivalentTo(new[]
        {
            prog, tree.PathOf("/opt/app/lib/libfoo.so.1"), tree.PathOf("/opt/app/lib/libfoo.so.1.0"),
            tree.PathOf("/opt/app/lib/libbar.so"), tree.PathOf("/lib/x86_64-linux-gnu/libc.so.6"),
            tree.PathOf("/lib64/ld-linux-x86-64.so.2"), tree.PathOf("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        }));
    }

    [Test]
    public void DlopenExtras_ListOnlyWhatIsPresent_WithSymlinkTargets()
    {
        tree.File("/usr/lib/x86_64-linux-gnu/libnss_files.so.2", TestModule.Build());
        tree.File("/usr/lib/x86_64-linux-gnu/libssl.so.3.0", TestModule.Build());
        tree.Symlink("/usr/lib/x86_64-linux-gnu/libssl.so.3", "libssl.so.3.0");

        var extras = LibraryClosure.DlopenExtras(tree.Root);

        Assert.That(extras, Is.EqualTo(new[]
        {
            tree.PathOf("/usr/lib/x86_64-linux-gnu/libnss_files.so.2"), tree.PathOf("/usr/lib/x86_64-linux-gnu/libssl.so.3"),
            tree.PathOf("/usr/lib/x86_64-linux-gnu/libssl.so.3.0"),
        }));
    }

    [Test]
    public void Scripts_ContributeOnlyThemselves_MissingFilesAreBadInput()
    {
        var script = tree.File("/usr/sbin/hello", "#!/bin/sh\necho hi\n");
        Assert.That(LibraryClosure.Resolve([script]), Is.EqualTo(new[] { script }));
        Assert.Throws<BadInputException>(() => LibraryClosure.Resolve([tree.PathOf("/nope")]));
        Assert.That(ProgramLocator.Find("hello", tree.Root), Is.Null, "not executable");
    }

    /// <summary>Builds bin/prog, lib/libfoo.so.1.0 (+ libfoo.so.1 link) and lib/libbar.so under <paramref name="at"/>.</summary>
    private string Build(string at, string? dtags = "--disable-new-dtags", string? rpath = "$ORIGIN/../lib")
    {
        var src = tree.Dir(at + "/src");
        var lib = tree.Dir(at + "/lib");
        var bin = tree.Dir(at + "/bin");
        File.WriteAllText(Path.Join(src, "bar.c"), "int bar(void) { return 2; }\n");
        File.WriteAllText(Path.Join(src, "foo.c"), "int bar(void); int foo(void) { return bar() + 1; }\n");
        File.WriteAllText(Path.Join(src, "main.c"), "int foo(void); int main(void) { return foo(); }\n");
        ExternalTool.RunOk("gcc", "gcc", ["-shared", "-fPIC", "-o", Path.Join(lib, "libbar.so"), Path.Join(src, "bar.c"), "-Wl,-soname,libbar.so"]);
        ExternalTool.RunOk("gcc", "gcc", ["-shared", "-fPIC", "-o", Path.Join(lib, "libfoo.so.1.0"), Path.Join(src, "foo.c"),
            "-Wl,-soname,libfoo.so.1", Path.Join(lib, "libbar.so")]);
        File.CreateSymbolicLink(Path.Join(lib, "libfoo.so.1"), "libfoo.so.1.0");
        string[] link = rpath is null ? [] : [$"-Wl,-rpath,{rpath}", $"-Wl,{dtags}"];
        ExternalTool.RunOk("gcc", "gcc", ["-o", Path.Join(bin, "prog"), Path.Join(src, "main.c"), Path.Join(lib, "libfoo.so.1.0"),
            $"-Wl,-rpath-link,{lib}", .. link]);
        return Path.Join(bin, "prog");
    }

    /// <summary>Copies a host file to <paramref name="absolute"/> inside the tree, keeping its mode.</summary>
    private string Copy(string from, string absolute)
    {
        var to = tree.PathOf(absolute);
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
        return to;
    }
}
