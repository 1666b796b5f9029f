using NUnit.Framework;
using RescueKit.Formats.Iso9660;

namespace RescueKit.Formats.Tests.Iso9660;

public class IsoNamesTests
{
    private static IsoDirectory DirWith(params string[] names)
    {
        var dir = new IsoDirectory("", IsoTestImages.Meta("555"));
        foreach (var n in names)
            dir.Children.Add(n, new IsoFile(n, IsoTestImages.Meta("444"), new BytesContent([])) { Parent = dir });
        IsoNames.AssignChildNames(dir);
        return dir;
    }

    [TestCase("Mixed Case Long File Name.txt", "MIXED_CA.TXT;1")]
    [TestCase("kernel-link", "KERNEL_L.;1")]
    [TestCase("vmlinuz", "VMLINUZ.;1")]
    [TestCase("initrd.img.gz", "INITRD_I.GZ;1")]
    [TestCase(".bashrc", "_BASHRC.;1")]
    [TestCase("archive.tar.zstd", "ARCHIVE_.ZST;1")]
    public void FileNamesAreLevel1(string name, string expected) =>
        Assert.That(DirWith(name).Children[name].IsoName, Is.EqualTo(expected));

    [Test]
    public void DirectoryNamesHaveNoDotAndNoVersion()
    {
        var dir = new IsoDirectory("", IsoTestImages.Meta("555"));
        dir.Children.Add("grub.d", new IsoDirectory("grub.d", IsoTestImages.Meta("555")));
        IsoNames.AssignChildNames(dir);
        Assert.That(dir.Children["grub.d"].IsoName, Is.EqualTo("GRUB_D"));
    }

    [Test]
    public void CollisionsGetCountersInOrdinalOrderOfRealNames()
    {
        var dir = DirWith("Mixed Case B.txt", "Mixed Case A.txt", "mixed case c.txt");
        Assert.Multiple(() =>
        {
            Assert.That(dir.Children["Mixed Case A.txt"].IsoName, Is.EqualTo("MIXED_CA.TXT;1"));
            Assert.That(dir.Children["Mixed Case B.txt"].IsoName, Is.EqualTo("MIXED000.TXT;1"));
            Assert.That(dir.Children["mixed case c.txt"].IsoName, Is.EqualTo("MIXED001.TXT;1"));
        });
    }

    [Test]
    public void ManyCollisionsStayUnique()
    {
        var names = Enumerable.Range(0, 1500).Select(i => $"same-prefix-{i}.bin").ToArray();
        var dir = DirWith(names);
        Assert.That(dir.Children.Values.Select(c => c.IsoName).Distinct().Count(), Is.EqualTo(1500));
        Assert.That(dir.Children.Values.All(c => c.IsoName.Split('.')[0].Length <= 8), Is.True);
    }

    [Test]
    public void JolietNamesAreCappedAt64KeepingTheExtensionAndUniqueIgnoringCase()
    {
        var longA = new string('a', 100) + ".txt";
        var longB = new string('a', 99) + "b.txt";
        var dir = DirWith(longA, longB, "Readme", "README", "a:b*c?.txt");
        Assert.Multiple(() =>
        {
            Assert.That(dir.Children[longA].JolietName, Is.EqualTo(new string('a', 60) + ".txt"));
            Assert.That(dir.Children[longB].JolietName, Is.EqualTo(new string('a', 57) + "000.txt"));
            Assert.That(dir.Children["README"].JolietName, Is.EqualTo("README"));
            Assert.That(dir.Children["Readme"].JolietName, Is.EqualTo("Readme000"));
            Assert.That(dir.Children["a:b*c?.txt"].JolietName, Is.EqualTo("a_b_c_.txt"));
        });
    }

    [Test]
    public void SymlinksAndDevicesHaveNoJolietName()
    {
        var dir = new IsoDirectory("", IsoTestImages.Meta("555"));
        dir.Children.Add("l", new IsoSymlink("l", IsoTestImages.Meta("777"), "x"));
        dir.Children.Add("d", new IsoDevice("d", IsoTestImages.Meta("600"), false, 1, 3));
        IsoNames.AssignChildNames(dir);
        Assert.That(dir.Children.Values.Select(c => c.JolietName), Is.All.Null);
    }

    [Test]
    public void IsoSortPadsNamesWithSpacesBeforeComparingExtensions()
    {
        // 9.3: "A.B" < "AB" < "A_.A": the name "A" is padded with ' ' (0x20), and 'B' (0x42) < '_' (0x5F).
        string[] ids = ["A_.A;1", "A.B;1", "AB;1", "A.A;1", "BOOT", "B"];
        var sorted = ids.Order(Comparer<string>.Create(IsoNames.CompareIso)).ToArray();
        Assert.That(sorted, Is.EqualTo(new[] { "A.A;1", "A.B;1", "AB;1", "A_.A;1", "B", "BOOT" }));
    }

    [Test]
    public void JolietSortIsByCodeUnitSoUpperCaseComesFirst()
    {
        string[] names = ["isolinux", "boot", "EFI", "docs"];
        Assert.That(names.Order(Comparer<string>.Create(IsoNames.CompareJoliet)), Is.EqualTo(new[] { "EFI", "boot", "docs", "isolinux" }));
    }
}
