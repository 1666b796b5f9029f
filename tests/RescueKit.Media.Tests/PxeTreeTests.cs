using RescueKit.Core;
using RescueKit.Media.Pxe;
using RescueKit.Tests.Shared;

namespace RescueKit.Media.Tests;

/// <summary>
/// The PXE tree writer (docs/pxe.md): its files, menus and manifest hashes (checked with sha256sum), and that adding,
/// replacing and removing a host leaves the other hosts' files as they were.
/// </summary>
public class PxeTreeTests
{
    private const string MacA = "52-54-00-00-00-0a";
    private const string MacA2 = "52-54-00-00-00-1a";
    private const string MacB = "52-54-00-00-00-0b";

    /// <summary>A host root with the files of pxelinux, syslinux-common, ipxe and grub-efi-amd64-bin, each with its own bytes.</summary>
    private static PxeBootFiles FakeBootFiles(TempDirectory host)
    {
        foreach (var f in PxeBootFiles.Pxelinux) host.Write($"usr/lib/PXELINUX/{f}", $"pxelinux {f}");
        foreach (var m in PxeBootFiles.PxelinuxModules) host.Write($"usr/lib/syslinux/modules/bios/{m}", $"module {m}");
        foreach (var f in PxeBootFiles.Ipxe) host.Write($"usr/lib/ipxe/{f}", $"ipxe {f}");
        foreach (var m in PxeBootFiles.GrubNetModules) host.Write($"usr/lib/grub/x86_64-efi/{m}.mod", m);
        return PxeBootFiles.Locate(host.Path);
    }

    private static PxeHostEntry Entry(TempDirectory build, string host, string[] macs, string? httpUrl = "http://10.0.2.2:8080/")
        => new()
        {
            Host = host,
            Macs = macs,
            KernelImage = build.Write($"{host}/vmlinuz-6.1", $"kernel of {host} {Guid.NewGuid()}"),
            KernelVersion = "6.1",
            Initrd = build.Write($"{host}/initrd", $"initrd of {host} {Guid.NewGuid()}"),
            CommandLine = "console=ttyS0,115200 rk.source=nfs:10.0.2.2:/backups",
            HttpUrl = httpUrl,
            Tool = "rescuekit 0.0.0",
            Built = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        };

    private static string Sha256sum(string path)
        => ExternalTool.Run("sha256sum", "coreutils", [path]).Stdout.Split(' ')[0];

    /// <summary>Every file of the tree, relative path → its bytes' hash and inode change time, to see what a change touched.</summary>
    private static Dictionary<string, (string Hash, DateTime Written)> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .ToDictionary(f => Path.GetRelativePath(root, f),
                f => (Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)));

    [Test]
    public void OneHostGetsItsFilesTheBootLoadersAndMenus()
    {
        using var host = new TempDirectory();
        using var build = new TempDirectory();
        using var root = new TempDirectory();
        var tree = new PxeTree(root.Path);
        var entry = Entry(build, "alpha", [MacA, MacA2]);
        File.WriteAllText(build.Combine("grub.efi"), "grub image");

        var manifest = tree.Install(entry, FakeBootFiles(host), build.Combine("grub.efi"));

        foreach (var f in PxeBootFiles.Pxelinux.Concat(PxeBootFiles.PxelinuxModules).Concat(PxeBootFiles.Ipxe))
            Assert.That(root.Combine(f), Does.Exist, f);
        Assert.That(File.ReadAllText(root.Combine(PxeTree.GrubImage)), Is.EqualTo("grub image"));
        Assert.That(File.ReadAllText(root.Combine("pxelinux.0")), Is.EqualTo("pxelinux pxelinux.0"));

        // The manifest's sizes and hashes are those of the files in the tree, as sha256sum computes them.
        var dir = root.Combine("rescuekit", "alpha");
        Assert.That(manifest.Files.Select(f => f.Name), Is.EquivalentTo(new[] { "vmlinuz", "initrd.img", "boot.ipxe" }));
        foreach (var f in manifest.Files)
        {
            Assert.That(f.Sha256, Is.EqualTo(Sha256sum(Path.Combine(dir, f.Name))), f.Name);
            Assert.That(f.Size, Is.EqualTo(new FileInfo(Path.Combine(dir, f.Name)).Length), f.Name);
        }
        Assert.That(File.ReadAllText(Path.Combine(dir, "vmlinuz")), Is.EqualTo(File.ReadAllText(entry.KernelImage)));
        var initrdHash = Sha256sum(Path.Combine(dir, "initrd.img"));
        Assert.That(tree.Hosts().Single(), Is.EqualTo(manifest).Using<PxeHostManifest>((a, b) => a.Host == b.Host && a.CommandLine == b.CommandLine));

        // One pxelinux and one GRUB file per MAC, booting this host with the initrd's hash and BOOTIF.
        foreach (var mac in new[] { MacA, MacA2 })
        {
            var pxelinux = File.ReadAllText(root.Combine("pxelinux.cfg", $"01-{mac}"));
            Assert.That(pxelinux, Does.StartWith("#").And.Contain("\nSERIAL 0 115200\n"));
            Assert.That(pxelinux, Does.Contain("KERNEL rescuekit/alpha/vmlinuz\n  INITRD rescuekit/alpha/initrd.img\n"));
            Assert.That(pxelinux, Does.Contain($"APPEND console=ttyS0,115200 rk.source=nfs:10.0.2.2:/backups rk.initrd_sha256={initrdHash} rk.mode=interactive\n  IPAPPEND 2"));
            Assert.That(pxelinux, Does.Contain("DEFAULT alpha-interactive").And.Contain("LOCALBOOT 0"));
            var grub = File.ReadAllText(root.Combine("grub", $"grub.cfg-01-{mac}"));
            Assert.That(grub, Does.Contain($"\tlinux /rescuekit/alpha/vmlinuz console=ttyS0,115200 rk.source=nfs:10.0.2.2:/backups rk.initrd_sha256={initrdHash} rk.mode=interactive BOOTIF=01-{mac}\n\tinitrd /rescuekit/alpha/initrd.img\n"));
            Assert.That(grub, Does.Contain("set default=interactive"));
        }
        var ipxe = File.ReadAllText(Path.Combine(dir, "boot.ipxe"));
        Assert.That(ipxe, Does.StartWith("#!ipxe\n"));
        Assert.That(ipxe, Does.Contain("kernel http://10.0.2.2:8080/rescuekit/alpha/vmlinuz console=ttyS0,115200 "));
        Assert.That(ipxe, Does.Contain("BOOTIF=01-${netX/mac:hexhyp} initrd=initrd.img\ninitrd http://10.0.2.2:8080/rescuekit/alpha/initrd.img\nboot\n"));
        Assert.That(File.ReadAllText(root.Combine("pxelinux.cfg", "default")), Does.Contain("LABEL alpha-interactive").And.Contain("DEFAULT local"));
        Assert.That(File.ReadAllText(root.Combine("grub", "grub.cfg")), Does.Contain("BOOTIF=01-${net_default_mac}").And.Contain("set default=local"));
    }

    [Test]
    public void TheGrubImagesTftpServerIsRecordedForLaterRuns()
    {
        using var host = new TempDirectory();
        using var build = new TempDirectory();
        using var root = new TempDirectory();
        var tree = new PxeTree(root.Path);
        Assert.That(tree.RecordedTftpServer(), Is.Null);
        tree.Install(Entry(build, "alpha", [MacA]), FakeBootFiles(host), build.Write("g", "g"), tftpServer: "192.168.7.2");
        Assert.That(tree.RecordedTftpServer(), Is.EqualTo("192.168.7.2"));
        tree.Install(Entry(build, "beta", [MacB]), FakeBootFiles(host), build.Write("g", "g"), tftpServer: null);
        Assert.That(tree.RecordedTftpServer(), Is.EqualTo("192.168.7.2"));
    }

    [Test]
    public void WithoutAnHttpUrlNoIpxeScriptIsWritten()
    {
        using var host = new TempDirectory();
        using var build = new TempDirectory();
        using var root = new TempDirectory();
        var manifest = new PxeTree(root.Path).Install(Entry(build, "alpha", [MacA], httpUrl: null), FakeBootFiles(host), build.Write("g", "g"));
        Assert.That(root.Combine("rescuekit", "alpha", "boot.ipxe"), Does.Not.Exist);
        Assert.That(manifest.Files.Select(f => f.Name), Is.EquivalentTo(new[] { "vmlinuz", "initrd.img" }));
        Assert.That(manifest.HttpUrl, Is.Null);
    }

    [Test]
    public void AddingReplacingAndRemovingAHostLeavesTheOthersAlone()
    {
        using var host = new TempDirectory();
        using var build = new TempDirectory();
        using var root = new TempDirectory();
        var boot = FakeBootFiles(host);
        var grub = build.Write("grub.efi", "grub image");
        var tree = new PxeTree(root.Path);
        tree.Install(Entry(build, "alpha", [MacA]), boot, grub);
        var alphaFiles = new[] { "rescuekit/alpha/vmlinuz", "rescuekit/alpha/initrd.img", "rescuekit/alpha/manifest.json",
                                 "rescuekit/alpha/boot.ipxe", $"pxelinux.cfg/01-{MacA}", $"grub/grub.cfg-01-{MacA}", "pxelinux.0" };
        var before = Snapshot(root.Path);
        Thread.Sleep(20);

        tree.Install(Entry(build, "beta", [MacB]), boot, grub);
        var withBeta = Snapshot(root.Path);
        foreach (var f in alphaFiles) Assert.That(withBeta[f], Is.EqualTo(before[f]), $"{f} changed when beta was added");
        Assert.That(tree.Hosts().Select(h => h.Host), Is.EqualTo(new[] { "alpha", "beta" }));
        var menu = File.ReadAllText(root.Combine("pxelinux.cfg", "default"));
        Assert.That(menu.IndexOf("LABEL alpha-", StringComparison.Ordinal), Is.LessThan(menu.IndexOf("LABEL beta-", StringComparison.Ordinal)).And.GreaterThan(0));
        Assert.That(File.ReadAllText(root.Combine("grub", "grub.cfg")), Does.Contain("--id alpha").And.Contain("--id beta"));

        // A MAC of alpha's is refused for beta, and nothing changes.
        var conflict = Assert.Throws<BadInputException>(() => tree.Install(Entry(build, "beta", [MacB, MacA]), boot, grub))!;
        Assert.That(conflict.Message, Does.Contain("52:54:00:00:00:0a already belongs to host alpha"));
        Assert.That(Snapshot(root.Path), Is.EqualTo(withBeta));

        // beta rebuilt on another NIC: its old per-MAC files go, alpha's stay.
        tree.Install(Entry(build, "beta", [MacA2]), boot, grub);
        Assert.That(root.Combine("pxelinux.cfg", $"01-{MacB}"), Does.Not.Exist);
        Assert.That(root.Combine("grub", $"grub.cfg-01-{MacB}"), Does.Not.Exist);
        Assert.That(File.ReadAllText(root.Combine("pxelinux.cfg", $"01-{MacA2}")), Does.Contain("rescuekit/beta/vmlinuz"));
        var replaced = Snapshot(root.Path);
        foreach (var f in alphaFiles) Assert.That(replaced[f], Is.EqualTo(before[f]), $"{f} changed when beta was replaced");

        var removed = tree.Remove("beta");
        Assert.That(removed.Macs, Is.EqualTo(new[] { MacA2 }));
        Assert.That(root.Combine("rescuekit", "beta"), Does.Not.Exist);
        Assert.That(root.Combine("pxelinux.cfg", $"01-{MacA2}"), Does.Not.Exist);
        Assert.That(root.Combine("grub", $"grub.cfg-01-{MacA2}"), Does.Not.Exist);
        Assert.That(File.ReadAllText(root.Combine("pxelinux.cfg", "default")), Does.Not.Contain("beta"));
        Assert.That(File.ReadAllText(root.Combine("grub", "grub.cfg")), Does.Not.Contain("beta"));
        var after = Snapshot(root.Path);
        foreach (var f in alphaFiles) Assert.That(after[f], Is.EqualTo(before[f]), $"{f} changed when beta was removed");
        Assert.That(Directory.GetDirectories(root.Combine("rescuekit")).Select(Path.GetFileName), Is.EqualTo(new[] { "alpha" }),
            "no staging or retired directory is left behind");
    }

    [Test]
    public void AWriterWaitsForTheLockAnotherHolds_AsFlockSeesIt()
    {
        using var host = new TempDirectory();
        using var build = new TempDirectory();
        using var root = new TempDirectory();
        var boot = FakeBootFiles(host);
        var entry = Entry(build, "alpha", [MacA]);
        var lockFile = root.Combine(PxeTree.LockFileName);
        // flock(1) holds the tree's lock until its stdin closes; "locked" on stdout says it has it.
        var flock = ExternalTool.Require("flock", "util-linux");
        using var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(flock, [lockFile, "sh", "-c", "echo locked; cat >/dev/null"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        Assert.That(holder.StandardOutput.ReadLine(), Is.EqualTo("locked"));

        var install = Task.Run(() => new PxeTree(root.Path).Install(entry, boot, build.Write("g", "g")));
        Thread.Sleep(1000);
        Assert.That(install.IsCompleted, Is.False, "Install ran while another process held the lock");
        Assert.That(root.Combine("rescuekit", "alpha"), Does.Not.Exist);
        holder.StandardInput.Close();
        holder.WaitForExit();

        Assert.That(install.Wait(TimeSpan.FromSeconds(30)), Is.True, "Install did not go on once the lock was free");
        Assert.That(root.Combine("rescuekit", "alpha", "manifest.json"), Does.Exist);
    }

    [Test]
    public void RemovingAHostNotInTheTreeNamesTheHostsThatAre()
    {
        using var host = new TempDirectory();
        using var build = new TempDirectory();
        using var root = new TempDirectory();
        var tree = new PxeTree(root.Path);
        tree.Install(Entry(build, "alpha", [MacA]), FakeBootFiles(host), build.Write("g", "g"));
        var e = Assert.Throws<BadInputException>(() => tree.Remove("gamma"))!;
        Assert.That(e.Message, Does.Contain("no host 'gamma'").And.Contain("it has: alpha"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }

    [Test]
    public void AStagingDirectoryOfAWriterThatDiedIsRemovedAndNeverListed()
    {
        using var host = new TempDirectory();
        using var build = new TempDirectory();
        using var root = new TempDirectory();
        host.Write("x", "");
        var dead = root.Write("rescuekit/.staging-alpha-999999/manifest.json", "{");
        var tree = new PxeTree(root.Path);
        Assert.That(tree.Hosts(), Is.Empty);
        tree.Install(Entry(build, "beta", [MacB]), FakeBootFiles(host), build.Write("g", "g"));
        Assert.That(Path.GetDirectoryName(dead), Does.Not.Exist);
    }

    [TestCase("52:54:00:AB:cd:0e", "52-54-00-ab-cd-0e")]
    [TestCase("52-54-00-ab-cd-0e", "52-54-00-ab-cd-0e")]
    public void MacsAreWrittenLowerCaseWithDashes(string given, string expected)
        => Assert.That(PxeMac.Normalize(given), Is.EqualTo(expected));

    [TestCase("52:54:00:ab:cd")]
    [TestCase("52:54:00:ab:cd:0e:ff")]
    [TestCase("52:54-00:ab:cd:0e")]
    [TestCase("52:54:00:ab:cd:0g")]
    [TestCase("525400abcd0e")]
    public void AMalformedMacIsRefused(string given)
    {
        var e = Assert.Throws<BadInputException>(() => PxeMac.Normalize(given))!;
        Assert.That(e.Message, Is.EqualTo($"--mac '{given}' is not an Ethernet address: give six hex pairs, e.g. 52:54:00:12:34:56"));
    }

    [Test]
    public void AMissingBootLoaderNamesItsPackage()
    {
        using var host = new TempDirectory();
        FakeBootFiles(host);
        File.Delete(host.Combine("usr/lib/ipxe/undionly.kpxe"));
        var e = Assert.Throws<MissingPrerequisiteException>(() => PxeBootFiles.Locate(host.Path))!;
        Assert.That(e.DebianPackage, Is.EqualTo("ipxe"));
        Directory.Delete(host.Combine("usr/lib/PXELINUX"), recursive: true);
        Assert.That(Assert.Throws<MissingPrerequisiteException>(() => PxeBootFiles.Locate(host.Path))!.DebianPackage, Is.EqualTo("pxelinux"));
    }
}
