using NUnit.Framework;
using System.Text;
using RescueKit.Formats.Iso9660;

namespace RescueKit.Formats.Tests.Iso9660;

public class RockRidgeTests
{
    [Test]
    public void RelativeSymlinkMatchesXorrisoBytes()
    {
        // formats.md §5: ../boot/vmlinuz = SL 16 01 00 | 04 00 | 00 04 boot | 00 07 vmlinuz
        var sl = RockRidge.Sl("../boot/vmlinuz").Single();
        Assert.That(Convert.ToHexString(sl), Is.EqualTo("534C16010004000004" + Hex("boot") + "0007" + Hex("vmlinuz")));
    }

    [Test]
    public void AbsoluteSymlinkStartsWithRootComponent() =>
        Assert.That(Convert.ToHexString(RockRidge.Sl("/usr/./bin").Single()), Is.EqualTo("534C130100" + "0800" + "0003" + Hex("usr") + "0200" + "0003" + Hex("bin")));

    [Test]
    public void LongSymlinkSplitsIntoContinuedEntriesAndComponents()
    {
        var target = new string('x', 300) + "/" + new string('y', 200);
        var entries = RockRidge.Sl(target);
        Assert.That(entries, Has.Count.GreaterThan(1));
        Assert.That(entries.All(e => e.Length <= 255 && e[2] == e.Length), Is.True);
        Assert.That(entries[..^1].All(e => e[4] == 1) && entries[^1][4] == 0, Is.True, "entry CONTINUE on all but the last");
        Assert.That(entries[0][5], Is.EqualTo(1), "the first 'x' component is split with component CONTINUE");
    }

    [Test]
    public void LongNameSplitsIntoContinuedNmEntries()
    {
        var nm = RockRidge.Nm(new string('n', 300));
        Assert.That(nm.Select(e => (e[2], e[4])), Is.EqualTo(new[] { ((byte)255, (byte)1), ((byte)(5 + 300 - 250), (byte)0) }));
    }

    [Test]
    public void PxCarriesTypeBitsAndBothEndianFields()
    {
        var px = RockRidge.Px(0x8000 | Convert.ToInt32("4755", 8), 1, 1000, 1001);
        Assert.That(Convert.ToHexString(px.AsSpan(0, 12)), Is.EqualTo("505824" + "01" + "ED890000" + "000089ED"));
        Assert.That(BitConverter.ToInt32(px, 20), Is.EqualTo(1000));
        Assert.That(BitConverter.ToInt32(px, 28), Is.EqualTo(1001));
    }

    [Test]
    public void PnUsesXorrisoDevTEncoding()
    {
        var pn = RockRidge.Pn(1, 3);
        Assert.That(Convert.ToHexString(pn), Is.EqualTo("504E1401" + "0000000000000000" + "0301000000000103"));
    }

    [Test]
    public void TfHasModifyAccessAttributesInShortForm()
    {
        var tf = RockRidge.Tf(IsoTestImages.Stamp);
        Assert.That(Convert.ToHexString(tf.AsSpan(0, 12)), Is.EqualTo("54461A010E" + "7B0B0E160D1400"));
    }

    [Test]
    public void ErAnnouncesRrip1991A()
    {
        var er = RockRidge.Er();
        Assert.That(er.Length, Is.EqualTo(237));
        Assert.That(Encoding.ASCII.GetString(er, 8, 10), Is.EqualTo("RRIP_1991A"));
    }

    [Test]
    public void OverflowGoesToContinuationBehindACe()
    {
        var entries = new List<byte[]> { RockRidge.Px(0x81A4, 1, 0, 0), RockRidge.Tf(IsoTestImages.Stamp) };
        entries.AddRange(RockRidge.Nm(new string('n', 200)));
        var area = SystemUseArea.Pack(entries, DirectoryRecord.SystemUseCapacity(14));
        area.ContinuationLba = 21;
        area.ContinuationOffset = 237;
        var bytes = new byte[area.RecordLength];
        area.WriteTo(bytes);
        Assert.That(area.Continuation, Is.Not.Null);
        Assert.That(Encoding.ASCII.GetString(area.Continuation!, 0, 2), Is.EqualTo("NM"));
        Assert.That(Convert.ToHexString(bytes.AsSpan(62, 28)),
            Is.EqualTo("43451C01" + "1500000000000015" + "ED000000000000ED" + "CD000000000000CD"));
    }

    [Test]
    public void DirectoryRecordFieldsAndEvenLength()
    {
        var buffer = new byte[255];
        var len = DirectoryRecord.Write(buffer, 0x27, 6, IsoTestImages.Stamp, 0, Encoding.ASCII.GetBytes("KERNEL_L.;1"), null);
        Assert.Multiple(() =>
        {
            Assert.That(len, Is.EqualTo(44));
            Assert.That(Convert.ToHexString(buffer.AsSpan(0, 33)),
                Is.EqualTo("2C00" + "2700000000000027" + "0600000000000006" + "7B0B0E160D1400" + "000000" + "01000001" + "0B"));
            Assert.That(DirectoryRecord.RecordLength(2, 7), Is.EqualTo(44), "even identifier gets a pad byte, odd total a trailing zero");
        });
    }

    private static string Hex(string s) => Convert.ToHexString(Encoding.ASCII.GetBytes(s));
}
