using System.Buffers.Binary;
using System.Globalization;
using RescueKit.Formats.Tar;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>
/// The <see cref="TarSample"/> tree is created on ext4 with the standard tools; our archive of the same entries is
/// extracted by GNU tar and by bsdtar, and each result must equal the source tree in every byte and in what find,
/// stat, getfattr, getfacl and getcap report. The other way round, our reader must read GNU tar's and bsdtar's own
/// archives of the source tree into the sample's entries.
/// </summary>
[Category("Oracle")]
[NonParallelizable]
public class PaxExtractOracleTests
{
    private Ext4Tree _fs = null!;
    private List<TarSample.Member> _sample = null!;
    private string _source = null!;
    private string _archive = null!;
    private SortedDictionary<string, Ext4Tree.Scanned> _sourceScan = null!;

    [OneTimeSetUp]
    public void CreateSourceTree()
    {
        _fs = new Ext4Tree();
        _sample = TarSample.Build();
        _source = Path.Combine(_fs.Mount, "source");
        _fs.Create(_source, _sample);
        _sourceScan = _fs.Scan(_source);
        _archive = Path.Combine(_fs.Root, "ours.tar");
        File.WriteAllBytes(_archive, TarSample.Write(_sample));
    }

    [OneTimeTearDown]
    public void RemoveFilesystem() => _fs?.Dispose();

    [Test]
    public void The_source_tree_is_what_the_sample_describes()
    {
        // The tools' view of the created tree against the entries, so the comparisons below compare the right thing.
        var expected = new SortedDictionary<string, Ext4Tree.Scanned>(StringComparer.Ordinal);
        var hardLinks = _sample.Where(m => m.Entry.Type == TarEntryType.HardLink).ToList();
        foreach (var (e, data) in _sample.Select(m => (m.Entry, m.Data)))
        {
            var target = e.Type == TarEntryType.HardLink ? _sample.Single(m => m.Entry.Path.SequenceEqual(e.LinkName!)).Entry : e;
            var group = hardLinks.Where(h => h.Entry.LinkName!.SequenceEqual(target.Path)).Select(h => Ext4Tree.Show(h.Entry.Path)).ToList();
            var path = Ext4Tree.Show(e.Path);
            var actual = _sourceScan[path];
            expected[path] = new Ext4Tree.Scanned(path,
                target.Type switch
                {
                    TarEntryType.Directory => 'd', TarEntryType.Symlink => 'l', TarEntryType.CharacterDevice => 'c',
                    TarEntryType.BlockDevice => 'b', TarEntryType.Fifo => 'p', _ => 'f',
                },
                Convert.ToString(target.Mode, 8), $"{target.Uid}:{target.Gid}",
                target.Type == TarEntryType.Symlink ? target.LinkName!.Length : target.Size,
                target.MtimeNanoseconds,
                target.Type == TarEntryType.Symlink ? Ext4Tree.Show(target.LinkName!) : null,
                actual.Blocks,
                target.Type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice ? $"{target.DeviceMajor},{target.DeviceMinor}" : null,
                string.Join(' ', target.Xattrs.Select(x => $"{x.Name}=0x{Convert.ToHexString(x.Value).ToLowerInvariant()}").Order(StringComparer.Ordinal)),
                group.Count > 0 ? string.Join(' ', group.Append(Ext4Tree.Show(target.Path)).Order(StringComparer.Ordinal)) : null);
        }
        Assert.That(_sourceScan.Values.Select(v => v.ToString()), Is.EqualTo(expected.Values.Select(v => v.ToString())));
        Assert.That(Ext4Tree.DataSegments(Path.Combine(_source, "dir/sparse")), Is.EqualTo(_sample.Single(m => m.Entry.SparseMap is not null).Entry.SparseMap));
    }

    [Test]
    public void Gnu_tar_extracts_our_archive_exactly()
    {
        var target = Extract("gnu", "tar", "tar",
            ["-x", "--xattrs", "--xattrs-include=*", "--acls", "--numeric-owner", "-f", _archive, "-C"],
            // GNU tar --acls sets an ACL (from the mode when the member has none) on every member through
            // /proc/self/fd/N/PATH, which is over PATH_MAX for the 4095-byte path; the file itself is restored.
            $"acl_set_file_at: Cannot set POSIX ACLs for file '{DeepFile}': File name too long");
        AssertSameAsSource(target, rootMtimeRestored: true, xattrNamesUnescaped: true);
    }

    [Test]
    public void Bsdtar_extracts_our_archive_exactly()
    {
        // libarchive converts pax UTF-8 names to the locale's charset, and the C locale cannot hold "café"; it takes
        // names marked hdrcharset=BINARY as they are. So it runs in C.UTF-8, as it must for GNU tar's archives too.
        var bsdtar = ExternalTool.Require("bsdtar", "libarchive-tools");
        var target = Extract("bsdtar", "env", "coreutils",
            ["LC_ALL=C.UTF-8", bsdtar, "-x", "-p", "--numeric-owner", "--xattrs", "--acls", "-f", _archive, "-C"]);
        // Two libarchive 3.6 habits, the same with its own archives: it leaves the mtime of the directory it extracts
        // into ("./") alone, and it does not undo GNU tar's %3D/%25 escapes in SCHILY.xattr names, so the xattr
        // "user.a=b%c" (which it restores from its LIBARCHIVE.xattr record when it wrote the archive) comes out under
        // the escaped name.
        AssertSameAsSource(target, rootMtimeRestored: false, xattrNamesUnescaped: false);
    }

    [Test]
    public void Our_reader_reads_gnu_tars_archive_of_the_source_into_the_sample()
    {
        var gnu = Path.Combine(_fs.Root, "gnu.tar");
        ExternalTool.RunOk("tar", "tar", ["--posix", "--xattrs", "--xattrs-include=*", "--acls", "-S", "--numeric-owner", "-cf", gnu, "-C", _source, "."]);
        AssertReadsAsSample(gnu);
    }

    [Test]
    public void Our_reader_rebuilds_the_binary_acls_from_gnu_tars_acl_text_alone()
    {
        // Without --xattrs GNU tar stores ACLs only as text, with user and group names where the host has them.
        var gnu = Path.Combine(_fs.Root, "gnu-acls.tar");
        ExternalTool.RunOk("tar", "tar", ["--posix", "--acls", "-cf", gnu, "-C", _source, "./dir"]);
        using var reader = new PaxReader(File.OpenRead(gnu)) { ResolveAclName = HostId };
        var acls = new Dictionary<string, IReadOnlyList<TarXattr>>();
        while (reader.ReadNext() is { } e)
        {
            // Of dir/hello.txt and its hard link, the one GNU tar met first in the directory carries the data.
            var key = e.Type == TarEntryType.Regular && e.Path.AsSpan().StartsWith("./dir/h"u8) ? "hello or hard" : Ext4Tree.Show(e.Path);
            acls[key] = e.Xattrs;
        }
        Assert.That(acls["hello or hard"].Single().Value, Is.EqualTo(TarSample.FileAcl));
        Assert.That(acls["./dir"].Single().Name, Is.EqualTo("system.posix_acl_default"));
        Assert.That(acls["./dir"].Single().Value, Is.EqualTo(TarSample.DirectoryDefaultAcl));
        Assert.That(acls["./dir/cap"], Is.Empty, "an access ACL that only repeats the mode is no xattr");
    }

    /// <summary>A name's id from /etc/passwd or /etc/group, as getpwnam/getgrnam would give it here.</summary>
    private static uint? HostId(string name, bool isGroup) =>
        File.ReadLines(isGroup ? "/etc/group" : "/etc/passwd").Select(l => l.Split(':'))
            .Where(f => f.Length > 2 && f[0] == name).Select(f => (uint?)uint.Parse(f[2], CultureInfo.InvariantCulture)).FirstOrDefault();

    [Test]
    public void Our_reader_reads_bsdtars_archive_of_the_source_into_the_sample()
    {
        var bsd = Path.Combine(_fs.Root, "bsd.tar");
        var bsdtar = ExternalTool.Require("bsdtar", "libarchive-tools");
        ExternalTool.RunOk("env", "coreutils", ["LC_ALL=C.UTF-8", bsdtar, "--format", "pax", "--acls", "--xattrs", "--read-sparse", "-cf", bsd, "-C", _source, "."]);
        AssertReadsAsSample(bsd);
    }

    /// <summary>sha256sum of the 4095-byte path, reached one directory at a time so no path passed is over PATH_MAX.</summary>
    private string DeepFileHash(string root)
    {
        var parts = DeepFile.Split('/');
        var script = string.Join(" && ", parts[..^1].Select(p => $"cd {p}").Prepend($"cd {root}")) + $" && sha256sum {parts[^1]}";
        return ExternalTool.RunOk("bash", "bash", ["-c", script]).Split(' ')[0];
    }

    private string DeepFile => Ext4Tree.Show(_sample.MaxBy(m => m.Entry.Path.Length)!.Entry.Path);

    private string Extract(string name, string program, string package, List<string> argsBeforeTarget, string? knownWarning = null)
    {
        var target = Path.Combine(_fs.Mount, name);
        Directory.CreateDirectory(target);
        var r = ExternalTool.Run(program, package, [.. argsBeforeTarget, target]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(PaxListingOracleTests.UnexpectedGnuWarnings(r.Stderr)
            .Where(l => knownWarning is null || !l.EndsWith(knownWarning, StringComparison.Ordinal)), Is.Empty);
        return target;
    }

    private void AssertSameAsSource(string target, bool rootMtimeRestored, bool xattrNamesUnescaped)
    {
        var scan = _fs.Scan(target);
        if (!rootMtimeRestored) scan["."] = scan["."] with { MtimeNanoseconds = _sourceScan["."].MtimeNanoseconds };
        if (!xattrNamesUnescaped)
        {
            var source = _sourceScan["dir/cap"];
            Assert.That(scan["dir/cap"].Xattrs, Is.EqualTo(string.Join(' ', source.Xattrs.Split(' ').Select(x => x.Replace("user.a=b%c", "user.a%3Db%25c")).Order(StringComparer.Ordinal))));
            scan["dir/cap"] = scan["dir/cap"] with { Xattrs = source.Xattrs, Blocks = source.Blocks };
        }
        Assert.That(scan.Values.Select(v => v.ToString()), Is.EqualTo(_sourceScan.Values.Select(v => v.ToString())));

        // Every byte: diff compares regular files and symlinks (it cannot compare fifos and devices, whose
        // type and numbers the scan compared, nor reach the 4095-byte path through an absolute one, over PATH_MAX).
        var deepName = DeepFile[(DeepFile.LastIndexOf('/') + 1)..];
        var diff = ExternalTool.Run("diff", "diffutils", ["-r", "--no-dereference", "-x", "fifo", "-x", "dev-*", "-x", deepName, _source, target]);
        Assert.That(diff.ExitCode, Is.EqualTo(0), diff.Stdout + diff.Stderr);
        Assert.That(DeepFileHash(target), Is.EqualTo(DeepFileHash(_source)).And.Not.Empty);

        var sparse = _sample.Single(m => m.Entry.SparseMap is not null).Entry;
        Assert.That(Ext4Tree.DataSegments(Path.Combine(target, "dir/sparse")), Is.EqualTo(sparse.SparseMap), "restored sparse");
        Assert.That(scan["dir/sparse"].Blocks * 512, Is.EqualTo(sparse.SparseMap!.Sum(s => s.Length)));

        var acl = ExternalTool.RunOk("getfacl", "acl", ["-n", "-p", "-c", Path.Combine(target, "dir/hello.txt")]);
        Assert.That(acl.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "user::rw-", "user:1000:r--", "group::r--", "group:1001:rw-", "mask::rw-", "other::r--" }));
        var defaults = ExternalTool.RunOk("getfacl", "acl", ["-n", "-p", "-c", "-d", Path.Combine(target, "dir")]);
        Assert.That(defaults, Does.Contain("user:1002:r-x"));
        var cap = ExternalTool.RunOk("getcap", "libcap2-bin", [Path.Combine(target, "dir/cap")]);
        Assert.That(cap.Trim(), Does.EndWith("cap_net_raw=ep"));
    }

    private void AssertReadsAsSample(string archive)
    {
        var read = PaxRoundTripTests.ReadAll(File.ReadAllBytes(archive));
        // Their member names start with "./" and the root is "./"; ours are as the sample spells them.
        static byte[] Strip(byte[] p) => p.AsSpan().StartsWith("./"u8) ? p[2..] : p;
        var actual = read.Select(r => (Entry: new TarEntry
        {
            Path = Strip(r.Entry.Path), Type = r.Entry.Type, Mode = EffectiveMode(r.Entry), Uid = r.Entry.Uid, Gid = r.Entry.Gid,
            Size = r.Entry.Size, MtimeNanoseconds = r.Entry.MtimeNanoseconds, DeviceMajor = r.Entry.DeviceMajor, DeviceMinor = r.Entry.DeviceMinor,
            LinkName = r.Entry.LinkName is null ? null : r.Entry.Type == TarEntryType.HardLink ? Strip(r.Entry.LinkName) : r.Entry.LinkName,
            Xattrs = r.Entry.Xattrs, SparseMap = r.Entry.SparseMap,
        }, r.Data)).ToList();

        // Which of two hard links carries the data depends on the directory order the tool met them in.
        var expected = _sample.Select(m => (m.Entry, Data: m.Data ?? [])).ToList();
        static string Key((TarEntry Entry, byte[] Data) m) =>
            m.Entry.Type is TarEntryType.HardLink or TarEntryType.Regular && m.Entry.Path.AsSpan().StartsWith("dir/h"u8)
                ? "dir/hello.txt or its hard link " + Convert.ToHexString(m.Data)
                : PaxRoundTripTests.Describe(m.Entry) + " " + Convert.ToHexString(m.Data);
        Assert.That(actual.Select(Key).Order(StringComparer.Ordinal), Is.EqualTo(expected.Select(Key).Order(StringComparer.Ordinal)));
        var hello = actual.Single(a => a.Entry.Type == TarEntryType.Regular && a.Entry.Path.AsSpan().StartsWith("dir/h"u8));
        var link = actual.Single(a => a.Entry.Type == TarEntryType.HardLink);
        Assert.That(Ext4Tree.Show(link.Entry.LinkName!), Is.EqualTo(Ext4Tree.Show(hello.Entry.Path)));
        Assert.That(PaxRoundTripTests.Describe(hello.Entry).Split(' ')[1..],
            Is.EqualTo(PaxRoundTripTests.Describe(_sample.Single(m => m.Entry.Path.SequenceEqual("dir/hello.txt"u8.ToArray())).Entry).Split(' ')[1..]));
    }

    /// <summary>
    /// The mode a file gets once its access ACL is applied: the group bits are the mask entry's (POSIX.1e). libarchive
    /// stores the group_obj entry's bits in the header mode instead, and restoring the ACL gives the same file.
    /// </summary>
    private static uint EffectiveMode(TarEntry e)
    {
        var acl = e.Xattrs.FirstOrDefault(x => x.Name == "system.posix_acl_access")?.Value;
        if (acl is null) return e.Mode;
        for (int at = 4; at + 8 <= acl.Length; at += 8)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(acl.AsSpan(at)) == 0x10) // ACL_MASK
                return (e.Mode & ~0x38u) | ((uint)BinaryPrimitives.ReadUInt16LittleEndian(acl.AsSpan(at + 2)) << 3);
        }
        return e.Mode;
    }
}
