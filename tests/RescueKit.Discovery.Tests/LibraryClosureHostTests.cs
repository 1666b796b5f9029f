using System.Text.RegularExpressions;
using NUnit.Framework;
using RescueKit.Tests.Shared;

namespace RescueKit.Discovery.Tests;

/// <summary>The library closure of real programs of this host, checked against glibc's ldd.</summary>
[Category("Oracle")]
public partial class LibraryClosureHostTests
{
    [TestCase("/usr/bin/ls")]
    [TestCase("/usr/sbin/sfdisk")]
    [TestCase("/usr/bin/apropos")] // DT_RUNPATH /usr/lib/man-db
    [TestCase("/usr/bin/curl")]
    [TestCase("/usr/bin/ssh")]
    public void Closure_HoldsExactlyWhatLddResolves_ComparedByRealPath(string program)
    {
        var (code, stdout, stderr) = ExternalTool.Run("ldd", "libc-bin", [program]);
        Assert.That(code, Is.EqualTo(0), stderr);
        var fromLdd = stdout.Split('\n').Select(l => LddPath().Match(l)).Where(m => m.Success)
            .Select(m => RealPath(m.Groups[1].Value)).ToHashSet();
        Assert.That(fromLdd, Has.Count.GreaterThan(1));

        var closure = Discovery.LibraryClosure.Resolve([program]);

        var real = closure.Select(RealPath).ToHashSet();
        Assert.That(fromLdd, Is.SubsetOf(real));
        Assert.That(real, Is.SubsetOf(fromLdd.Append(RealPath(program))));
        Assert.That(closure, Does.Contain("/lib64/ld-linux-x86-64.so.2"), "PT_INTERP as the program names it");
    }

    [Test]
    public void Closure_KeepsSymlinksAndTheirTargets()
    {
        var closure = Discovery.LibraryClosure.Resolve(["/usr/bin/curl"]);

        var libz = closure.Single(p => p.EndsWith("/libz.so.1", StringComparison.Ordinal));
        var target = new FileInfo(libz).LinkTarget;
        Assert.That(target, Is.Not.Null, $"{libz} is expected to be a symlink");
        Assert.That(closure, Does.Contain(Path.Join(Path.GetDirectoryName(libz), target)));
    }

    [Test]
    public void StaticBusybox_IsOnlyItself_AsLddAgrees()
    {
        var (code, stdout, stderr) = ExternalTool.Run("ldd", "libc-bin", ["/usr/bin/busybox"]);
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stdout + stderr, Does.Contain("not a dynamic executable"));

        Assert.That(Discovery.LibraryClosure.Resolve(["/usr/bin/busybox"]), Is.EqualTo(new[] { "/usr/bin/busybox" }));
    }

    [Test]
    public void DlopenExtras_OnThisHost_FindLibgccAndOpenSsl()
    {
        var extras = Discovery.LibraryClosure.DlopenExtras("/");

        Assert.That(extras.Select(Path.GetFileName), Does.Contain("libgcc_s.so.1"));
        Assert.That(extras.Select(Path.GetFileName), Does.Contain("libcrypto.so.3"));
        Assert.That(extras, Has.All.Matches<string>(File.Exists));
    }

    /// <summary>realpath(3): every symlink in every component resolved.</summary>
    private static string RealPath(string path)
    {
        var dir = Path.GetDirectoryName(path);
        var realDir = dir is null || dir == "/" ? "/" : RealPath(dir);
        var full = Path.Join(realDir, Path.GetFileName(path));
        var target = new FileInfo(full).LinkTarget;
        return target is null ? full : RealPath(Path.GetFullPath(target.StartsWith('/') ? target : Path.Join(realDir, target)));
    }

    /// <summary>"libx.so.1 => /path (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"; linux-vdso has no path.</summary>
    [GeneratedRegex(@"^\s*(?:\S+ => )?(/\S+) \(0x[0-9a-f]+\)")]
    private static partial Regex LddPath();
}
