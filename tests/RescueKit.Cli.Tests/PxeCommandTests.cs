using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>`mkrescue --output pxe` and `rescuekit pxe`: bad inputs refused before any work, and list/remove on a real tree.</summary>
public class PxeCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("rk-pxe-cli-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string Root => Path.Combine(_dir, "tree");

    [Test]
    public void PxeWithoutARoot_IsRefused()
        => BadInputTests.AssertOneLineError(Rescuekit.Run("mkrescue", "--output", "pxe"), ExitCodes.BadInput, "--output pxe needs --root DIR");

    [Test]
    public void AMalformedMac_IsRefusedBeforeAnyWork()
    {
        var r = Rescuekit.Run("mkrescue", "--output", "pxe", "--root", Root, "--mac", "52:54:00:12:34:56", "--mac", "52:54:00:12:34");
        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "--mac '52:54:00:12:34' is not an Ethernet address", "52:54:00:12:34:56");
        Assert.That(Root, Does.Not.Exist);
    }

    [Test]
    public void ARootThatCannotBeWritten_IsRefusedBeforeAnyWork()
    {
        // Under a regular file: no directory can be made there, whoever runs the test (root ignores permissions).
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "");
        var r = Rescuekit.Run("mkrescue", "--output", "pxe", "--root", Path.Combine(file, "tree"), "--mac", "52:54:00:12:34:56");
        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, $"--root '{file}/tree' is not a writable directory", "give a directory you can write to");
    }

    [TestCase("--http-url", "ftp://10.0.0.1/", "is not an http:// or https:// URL")]
    [TestCase("--source", "smb://x/y", "is not an rk.source")]
    [TestCase("--host-name", "bad/name", "is not usable in a PXE tree")]
    [TestCase("--tftp-server", "10.0.0.1/24", "is not an IP address or host name")]
    public void ABadPxeValue_IsRefused(string option, string value, string message)
    {
        var r = Rescuekit.Run("mkrescue", "--output", "pxe", "--root", Root, option, value);
        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, $"{option} '{value}' {message}");
        Assert.That(Root, Does.Not.Exist);
    }

    [Test]
    public void APxeOptionWithAnIso_IsRefused()
        => BadInputTests.AssertOneLineError(Rescuekit.Run("mkrescue", "--output", "iso", "--out", _dir, "--mac", "52:54:00:12:34:56"),
            ExitCodes.BadInput, "--mac is an option of --output pxe");

    [Test]
    public void ATreeThatDoesNotExist_IsRefusedByEveryPxeVerb()
    {
        BadInputTests.AssertOneLineError(Rescuekit.Run("pxe", "list", "--root", Root), ExitCodes.BadInput, $"--root '{Root}' does not exist");
        BadInputTests.AssertOneLineError(Rescuekit.Run("pxe", "remove", "alpha", "--root", Root), ExitCodes.BadInput, "does not exist");
        BadInputTests.AssertOneLineError(Rescuekit.Run("pxe", "config", "nginx", "--root", Root), ExitCodes.BadInput, "does not exist");
    }

    [Test]
    public void DnsmasqWithoutANetwork_AndBadServerValues_AreRefused()
    {
        Directory.CreateDirectory(Root);
        BadInputTests.AssertOneLineError(Rescuekit.Run("pxe", "config", "dnsmasq", "--root", Root), ExitCodes.BadInput, "give --interface IF or --subnet ADDR");
        BadInputTests.AssertOneLineError(Rescuekit.Run("pxe", "config", "dnsmasq", "--root", Root, "--interface", "nosuchnic0"), ExitCodes.BadInput, "'nosuchnic0' is not a network interface");
        BadInputTests.AssertOneLineError(Rescuekit.Run("pxe", "config", "dnsmasq", "--root", Root, "--subnet", "fe80::"), ExitCodes.BadInput, "--subnet 'fe80::' is not an IPv4 address");
        BadInputTests.AssertOneLineError(Rescuekit.Run("pxe", "config", "nginx", "--root", Root, "--http-port", "70000"), ExitCodes.BadInput, "--http-port 70000 is not a TCP port");
        Assert.That(Rescuekit.Run("pxe", "list", "--root", Root).Stdout, Is.EqualTo("no hosts in the tree\n"));
        BadInputTests.AssertOneLineError(Rescuekit.Run("pxe", "remove", "alpha", "--root", Root), ExitCodes.BadInput, "no host 'alpha'", "it has: none");
    }

    /// <summary>Two hosts built by mkrescue into one tree, listed, one removed: the other's files are as they were.</summary>
    [Test]
    public void TwoHostsAreListed_AndRemovingOneLeavesTheOther()
    {
        PxeTreeFixture.Build(Root);
        var list = Rescuekit.Run("pxe", "list", "--root", Root);
        Assert.That(list.ExitCode, Is.EqualTo(0), list.Stderr);
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[1], Does.StartWith("alpha ").And.Contain(PxeTreeFixture.MacA).And.EndWith(" yes"));
        Assert.That(lines[2], Does.StartWith("beta ").And.Contain(PxeTreeFixture.MacB));
        var alpha = PxeTreeFixture.Hashes(Root, "alpha");
        // The GRUB image's prefix names the server of --http-url (binutils' strings reads it out of the PE image).
        var strings = ExternalTool.RunOk("strings", "binutils", [Path.Combine(Root, "rk-grubx64.efi")]);
        Assert.That(strings, Does.Contain("(tftp,127.0.0.1)/grub"));
        Assert.That(File.ReadAllText(Path.Combine(Root, "grub", "tftp-server")), Is.EqualTo("127.0.0.1\n"));
        // The signed UEFI path: Debian's files byte for byte, and a config grub-script-check accepts.
        Assert.That(PxeTreeFixture.Sha256sum(Path.Combine(Root, "shimx64.efi")), Is.EqualTo(PxeTreeFixture.Sha256sum("/usr/lib/shim/shimx64.efi.signed")));
        Assert.That(PxeTreeFixture.Sha256sum(Path.Combine(Root, "grubx64.efi")),
            Is.EqualTo(PxeTreeFixture.Sha256sum("/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed")));
        ExternalTool.RunOk("grub-script-check", "grub-common", [Path.Combine(Root, "grub", "grub.cfg")]);
        Assert.That(File.ReadAllText(Path.Combine(Root, "grub", "grub.cfg")), Does.Contain("configfile \"$prefix/grub.cfg-01-"),
            "the default menu sends a MAC of the tree on to its own, for the signed GRUB, which reads it first");

        var r = Rescuekit.Run("pxe", "remove", "beta", "--root", Root);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stdout, Is.EqualTo($"removed beta ({PxeTreeFixture.MacB})\n"));
        Assert.That(Path.Combine(Root, "rescuekit", "beta"), Does.Not.Exist);
        Assert.That(Path.Combine(Root, "pxelinux.cfg", "01-" + PxeTreeFixture.MacB.Replace(':', '-')), Does.Not.Exist);
        Assert.That(Path.Combine(Root, "grub", "grub.cfg-01-" + PxeTreeFixture.MacB.Replace(':', '-')), Does.Not.Exist);
        Assert.That(File.ReadAllText(Path.Combine(Root, "pxelinux.cfg", "default")), Does.Contain("LABEL alpha-").And.Not.Contain("beta"));
        Assert.That(PxeTreeFixture.Hashes(Root, "alpha"), Is.EqualTo(alpha));
        Assert.That(Rescuekit.Run("pxe", "list", "--root", Root).Stdout, Does.Not.Contain("beta"));
    }
}
