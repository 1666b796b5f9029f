using NUnit.Framework;
using RescueKit.Core;

namespace RescueKit.Discovery.Tests;

public class KernelLocatorTests
{
    [Test]
    public void Locate_RunningKernelWithImageAndModules_IsChosen()
    {
        using var t = new FakeTree();
        t.File("/boot/vmlinuz-6.1.0-9-amd64");
        t.Dir("/lib/modules/6.1.0-9-amd64");
        t.File("/boot/vmlinuz-6.1.0-10-amd64");
        t.Dir("/lib/modules/6.1.0-10-amd64");

        var k = new KernelLocator("6.1.0-9-amd64").Locate(null, t.Root);

        Assert.That(k, Is.EqualTo(new KernelImage("6.1.0-9-amd64", t.PathOf("/boot/vmlinuz-6.1.0-9-amd64"),
            t.PathOf("/lib/modules/6.1.0-9-amd64"), IsRunningKernel: true, Note: null)));
    }

    [Test]
    public void Locate_RunningKernelHasNoImage_UsesNewestByNaturalOrder_WithNote()
    {
        using var t = new FakeTree();
        foreach (var v in new[] { "6.1.0-9-amd64", "6.1.0-10-amd64", "5.10.0-30-amd64" })
        {
            t.File($"/boot/vmlinuz-{v}");
            t.Dir($"/lib/modules/{v}");
        }
        t.File("/boot/vmlinuz-6.2.0-1-amd64"); // newer, but without modules: not usable

        var k = new KernelLocator("6.18.44-fc").Locate(null, t.Root);

        Assert.That(k.Version, Is.EqualTo("6.1.0-10-amd64"));
        Assert.That(k.IsRunningKernel, Is.False);
        Assert.That(k.Note, Is.EqualTo("running kernel 6.18.44-fc has no image in /boot; using newest installed 6.1.0-10-amd64"));
    }

    [Test]
    public void Locate_ByVersion_And_ByPath()
    {
        using var t = new FakeTree();
        var image = t.File("/boot/vmlinuz-6.1.0-9-amd64");
        t.Dir("/lib/modules/6.1.0-9-amd64");
        var locator = new KernelLocator("6.1.0-9-amd64");

        Assert.That(locator.Locate("6.1.0-9-amd64", t.Root).ImagePath, Is.EqualTo(image));
        var byPath = locator.Locate(image, t.Root);
        Assert.That(byPath.Version, Is.EqualTo("6.1.0-9-amd64"));
        Assert.That(byPath.IsRunningKernel, Is.True);
    }

    [Test]
    public void Locate_NoKernelAtAll_NamesLinuxImageAmd64()
    {
        using var t = new FakeTree();
        var e = Assert.Throws<MissingPrerequisiteException>(() => new KernelLocator("6.18").Locate(null, t.Root));
        Assert.That(e!.DebianPackage, Is.EqualTo("linux-image-amd64"));
        Assert.That(e.What, Is.EqualTo("a Linux kernel image in /boot"));
    }

    [Test]
    public void Locate_ImageWithoutModules_NamesModulesDirectoryAndPackage()
    {
        using var t = new FakeTree();
        t.File("/boot/vmlinuz-6.1.0-9-amd64");

        foreach (var request in new[] { null, "6.1.0-9-amd64", t.PathOf("/boot/vmlinuz-6.1.0-9-amd64") })
        {
            var e = Assert.Throws<MissingPrerequisiteException>(() => new KernelLocator("6.18").Locate(request, t.Root));
            Assert.That(e!.What, Does.Contain("/lib/modules/6.1.0-9-amd64"));
            Assert.That(e.DebianPackage, Is.EqualTo("linux-image-6.1.0-9-amd64"));
        }
    }

    [Test]
    public void Locate_UnknownVersion_And_BadPath_AreReported()
    {
        using var t = new FakeTree();
        var e = Assert.Throws<MissingPrerequisiteException>(() => new KernelLocator("6.18").Locate("9.9.9", t.Root));
        Assert.That(e!.DebianPackage, Is.EqualTo("linux-image-9.9.9"));
        Assert.Throws<BadInputException>(() => new KernelLocator("6.18").Locate(t.PathOf("/boot/nothing"), t.Root));
        var odd = t.File("/boot/bzImage");
        Assert.Throws<BadInputException>(() => new KernelLocator("6.18").Locate(odd, t.Root));
    }

    [Test]
    public void Locate_OnThisHost_FallsBackFromTheImagelessRunningKernel()
    {
        var running = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        Assume.That(File.Exists($"/boot/vmlinuz-{running}"), Is.False, "this test is for the CI case: a running kernel with no image");

        var k = new KernelLocator().Locate(null);

        Assert.That(k.Version, Is.EqualTo(RescueKit.Tests.Shared.InstalledKernel.Version));
        Assert.That(k.ModulesDirectory, Is.EqualTo(RescueKit.Tests.Shared.InstalledKernel.ModulesDirectory));
        Assert.That(k.Note, Does.Contain($"running kernel {running} has no image in /boot"));
    }

    [TestCase("6.1.0-9", "6.1.0-10", -1)]
    [TestCase("5.10.0", "6.1.0", -1)]
    [TestCase("6.1.0-10-amd64", "6.1.0-10-amd64", 0)]
    [TestCase("6.1.10", "6.1.9-rt", 1)]
    public void NaturalVersionComparer_ComparesDigitRunsAsNumbers(string a, string b, int sign) =>
        Assert.That(Math.Sign(NaturalVersionComparer.Instance.Compare(a, b)), Is.EqualTo(sign));
}
