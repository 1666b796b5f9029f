using System.Text;
using NUnit.Framework;
using RescueKit.Formats.Fat;

namespace RescueKit.Formats.Tests.Fat;

public class FatNamesTests
{
    [Test]
    public void Long_name_example_gets_ALONGF_1_and_checksum_0x02()
    {
        var shortName = FatNames.GenerateShortName("A long file name.txt", new HashSet<string>());
        Assert.That(Encoding.ASCII.GetString(shortName), Is.EqualTo("ALONGF~1TXT"));
        Assert.That(FatNames.Checksum(shortName), Is.EqualTo(0x02));

        var entries = new byte[64];
        FatDirectoryEntry.WriteLong(entries, "A long file name.txt", 0x02);
        Assert.That((entries[0], entries[32]), Is.EqualTo(((byte)0x42, (byte)0x01)), "ordinals: last part first, |0x40");
        Assert.That((entries[11], entries[13]), Is.EqualTo(((byte)0x0F, (byte)0x02)));
        // Units 1-5 of part 1: "A lon".
        Assert.That(Encoding.Unicode.GetString(entries, 33, 10), Is.EqualTo("A lon"));
        // Part 2 holds "ame.txt" (7 units), then 0x0000, then 0xFFFF padding.
        Assert.That(Encoding.Unicode.GetString(entries, 1, 10), Is.EqualTo("ame.t"));
        Assert.That(Convert.ToHexString(entries, 14, 12), Is.EqualTo("7800740000 00FFFFFFFFFFFF".Replace(" ", "")));
        Assert.That(Convert.ToHexString(entries, 28, 4), Is.EqualTo("FFFFFFFF"));
    }

    [TestCase("grub.cfg", "GRUB    CFG", 0x18)]
    [TestCase("README", "README     ", 0x00)]
    [TestCase("readme.TXT", "README  TXT", 0x08)]
    [TestCase("BOOTX64.EFI", "BOOTX64 EFI", 0x00)]
    [TestCase("a", "A          ", 0x08)]
    [TestCase("1234.txt", "1234    TXT", 0x10)]
    public void All_upper_or_all_lower_8_3_names_need_no_long_name(string name, string expected, int ntRes)
    {
        Assert.That(FatNames.TryExactShortName(name, out var name11, out var flags), Is.True);
        Assert.That((Encoding.ASCII.GetString(name11), (int)flags), Is.EqualTo((expected, ntRes)));
    }

    [TestCase("Boot.efi")]
    [TestCase("toolongname.txt")]
    [TestCase("a.text")]
    [TestCase("a.b.c")]
    [TestCase(".hidden")]
    [TestCase("with space")]
    [TestCase("plus+sign")]
    public void Other_names_need_a_long_name(string name) =>
        Assert.That(FatNames.TryExactShortName(name, out _, out _), Is.False);

    [Test]
    public void Colliding_bases_get_increasing_tails_and_lossless_bases_keep_theirs()
    {
        var taken = new HashSet<string>();
        string Gen(string n) => Encoding.ASCII.GetString(FatNames.GenerateShortName(n, taken));
        Assert.That(Gen("Long Name One.txt"), Is.EqualTo("LONGNA~1TXT"));
        Assert.That(Gen("Long Name Two.txt"), Is.EqualTo("LONGNA~2TXT"));
        Assert.That(Gen("Boot.efi"), Is.EqualTo("BOOT    EFI"));
        Assert.That(Gen("BOOT.Efi"), Is.EqualTo("BOOT~1  EFI"));
        Assert.That(Gen("a+b.c"), Is.EqualTo("A_B~1   C  "));
        Assert.That(Gen(".bashrc"), Is.EqualTo("BASHRC~1   "));
        for (int i = 3; i <= 10; i++) Gen("Long Name " + i + ".txt");
        Assert.That(Gen("Long Name Eleven.txt"), Is.EqualTo("LONGN~11TXT"));
    }

    [TestCase("EFIBOOT")]
    [TestCase("MY DISK")]
    [TestCase("ABCDEFGHIJK")]
    [TestCase("")]
    public void Valid_labels_are_accepted(string label) =>
        Assert.DoesNotThrow(() => FatNames.ValidateLabel(label, "volumeLabel"));

    [TestCase("ABCDEFGHIJKL", "limit is 11")]
    [TestCase("efiboot", "contains 'e'")]
    [TestCase("EFI.BOOT", "contains '.'")]
    [TestCase("EFI/BOOT", "contains '/'")]
    public void Bad_labels_name_the_problem(string label, string messagePart)
    {
        var ex = Assert.Throws<ArgumentException>(() => new FatImageBuilder(label, 1, new DateTime(2024, 1, 1)));
        Assert.That((ex!.ParamName, ex.Message.Contains(messagePart)), Is.EqualTo(("volumeLabel", true)), ex.Message);
    }
}
