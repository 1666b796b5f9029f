using NUnit.Framework;
using System.IO.Compression;
using System.Text.RegularExpressions;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Cpio;

/// <summary>Reads <see cref="NewcSample"/> with GNU cpio and libarchive's bsdtar (formats.md §11, §14).</summary>
[Category("Oracle")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public partial class NewcOracleTests
{
    private string _dir = null!;
    private string _archive = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("rescuekit-newc-").FullName;
        _archive = Path.Combine(_dir, "sample.cpio");
        File.WriteAllBytes(_archive, NewcSample.Build());
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    // "crw-------   1 root     root       5,   1 Nov 14  2023 dev/console" (cpio) or "... 5,1 Nov 14  2023 ..." (bsdtar)
    [GeneratedRegex(@"^(?<mode>\S{10})\s+(?<nlink>\d+)\s+\S+\s+\S+\s+(?:(?<major>\d+),\s*(?<minor>\d+)|(?<size>\d+))\s+\w{3}\s+\d+\s+\S+\s(?<name>.*)$")]
    private static partial Regex ListingLine();

    private sealed record Listed(string Mode, int NLink, string Size, string Name, string? Target);

    private static List<Listed> ParseListing(string stdout) => stdout
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line =>
        {
            var m = ListingLine().Match(line);
            Assert.That(m.Success, $"unexpected listing line: '{line}'");
            var name = m.Groups["name"].Value;
            string? target = null;
            var arrow = name.IndexOf(" -> ", StringComparison.Ordinal);
            if (arrow >= 0) (name, target) = (name[..arrow], name[(arrow + 4)..]);
            var hard = name.IndexOf(" link to ", StringComparison.Ordinal);
            if (hard >= 0) name = name[..hard];
            var size = m.Groups["size"].Success ? m.Groups["size"].Value : $"{m.Groups["major"].Value},{m.Groups["minor"].Value}";
            return new Listed(m.Groups["mode"].Value, int.Parse(m.Groups["nlink"].Value), size, name, target);
        })
        .ToList();

    [Test]
    public void Cpio_itv_lists_names_modes_links_and_device_numbers()
    {
        var r = ExternalTool.Run("cpio", "cpio", ["-itv", "-F", _archive]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        var listed = ParseListing(r.Stdout).ToDictionary(l => l.Name);

        Assert.That(listed.Keys, Is.EqualTo(NewcSample.Names));
        Assert.Multiple(() =>
        {
            Assert.That(listed["."].Mode, Is.EqualTo("drwxr-xr-x"));
            Assert.That(listed["init"].Mode, Is.EqualTo("-rwxr-xr-x"));
            Assert.That(listed["init"].Size, Is.EqualTo(NewcSample.InitScript.Length.ToString()));
            Assert.That(listed["bin/sh"].Mode, Is.EqualTo("lrwxrwxrwx"));
            Assert.That(listed["bin/sh"].Target, Is.EqualTo("busybox"));
            Assert.That((listed["dev/console"].Mode, listed["dev/console"].Size), Is.EqualTo(("crw-------", "5,1")));
            Assert.That((listed["dev/sda"].Mode, listed["dev/sda"].Size), Is.EqualTo(("brw-rw----", "8,0")));
            Assert.That(listed["home/user/notes.txt"].Mode, Is.EqualTo("-rw-------"));
            Assert.That(listed["bin/link-b"].NLink, Is.EqualTo(2));
            Assert.That(listed["big.bin"].Size, Is.EqualTo(NewcSample.BigContent.Length.ToString()));
        });
        Assert.That(r.Stderr, Does.Not.Contain("warning").IgnoreCase);
    }

    [Test]
    public void Bsdtar_tvf_agrees()
    {
        var r = ExternalTool.Run("bsdtar", "libarchive-tools", ["-tvf", _archive]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        var listed = ParseListing(r.Stdout).ToDictionary(l => l.Name);

        Assert.That(listed.Keys, Is.EqualTo(NewcSample.Names));
        Assert.Multiple(() =>
        {
            Assert.That(listed["bin/sh"].Target, Is.EqualTo("busybox"));
            Assert.That(listed["dev/console"].Mode, Is.EqualTo("crw-------"));
            Assert.That(listed["dev/console"].Size.Replace(" ", ""), Is.EqualTo("5,1"));
            Assert.That(listed["init"].Mode, Is.EqualTo("-rwxr-xr-x"));
            Assert.That(listed["big.bin"].Size, Is.EqualTo(NewcSample.BigContent.Length.ToString()));
        });
    }

    [Test]
    public void Cpio_extracts_byte_for_byte_with_modes_links_devices_and_owners()
    {
        Assert.That(Environment.UserName, Is.EqualTo("root"), "extracting device nodes and owners needs root");
        var root = Path.Combine(_dir, "root");
        Directory.CreateDirectory(root);
        var r = ExternalTool.Run("cpio", "cpio", ["-idm", "--no-absolute-filenames", "-F", _archive], workingDirectory: root);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);

        string P(string name) => Path.Combine(root, name);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(P("init")), Is.EqualTo(NewcSample.InitScript));
            Assert.That(File.ReadAllBytes(P("big.bin")), Is.EqualTo(NewcSample.BigContent));
            Assert.That(File.ReadAllBytes(P("odd name with spaces")), Is.Empty);
            Assert.That(File.ReadAllBytes(P("bin/link-a")), Is.EqualTo(NewcSample.LinkedContent));
            Assert.That(File.GetUnixFileMode(P("init")), Is.EqualTo((UnixFileMode)0x1ED));
            Assert.That(File.GetUnixFileMode(P("home/user/notes.txt")), Is.EqualTo((UnixFileMode)0x180));
            Assert.That(File.GetUnixFileMode(P("home/user")), Is.EqualTo((UnixFileMode)0x1C0));
            Assert.That(new FileInfo(P("bin/sh")).LinkTarget, Is.EqualTo("busybox"));
            Assert.That(File.GetLastWriteTimeUtc(P("init")), Is.EqualTo(DateTime.UnixEpoch.AddSeconds(NewcSample.MTime)));
        });

        string Stat(string format, string name) =>
            ExternalTool.RunOk("stat", "coreutils", ["-c", format, P(name)]).Trim();
        Assert.That(Stat("%i %h", "bin/link-a"), Is.EqualTo(Stat("%i %h", "bin/link-b")), "hard links share an inode");
        Assert.That(Stat("%h", "bin/link-b"), Is.EqualTo("2"));
        Assert.That(Stat("%F %t %T", "dev/console"), Is.EqualTo("character special file 5 1"));
        Assert.That(Stat("%F %t %T", "dev/sda"), Is.EqualTo("block special file 8 0"));
        Assert.That(Stat("%u %g", "home/user/notes.txt"), Is.EqualTo("1000 100"));
    }

    [Test]
    public void Gzipped_archive_is_read_by_zcat_and_cpio()
    {
        var gz = Path.Combine(_dir, "sample.cpio.gz");
        File.WriteAllBytes(gz, NewcSample.Build(s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)));
        ExternalTool.Require("zcat", "gzip");
        ExternalTool.Require("cpio", "cpio");
        var r = ExternalTool.Run("sh", "dash", ["-c", "zcat \"$0\" | cpio -it", gz]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(NewcSample.Names));
    }
}
