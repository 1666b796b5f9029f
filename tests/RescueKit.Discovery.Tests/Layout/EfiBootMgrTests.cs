using System.Text.Json;
using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;

namespace RescueKit.Discovery.Tests.Layout;

/// <summary>
/// The `efibootmgr -v` parser on the real output of efibootmgr 17 under OVMF (Fixtures/layout/uefi: how.txt says how
/// each entry was made), and on hand-written lines of the other forms it meets.
/// </summary>
public class EfiBootMgrTests
{
    private static EfiBootConfig Uefi() => EfiBootMgr.Parse(Fixtures.Read("uefi", "efibootmgr.txt"));

    private static EfiBootEntry Entry(EfiBootConfig config, string number) => config.Entries.Single(e => e.Number == number);

    /// <summary>Partition 1 of the fixture's sfdisk -J output, read here with plain JSON (not the Sfdisk parser).</summary>
    private static (long Start, long Size, string Uuid) SfdiskEsp()
    {
        using var doc = JsonDocument.Parse(Fixtures.Read("uefi", "sfdisk-vda.json"));
        var p = doc.RootElement.GetProperty("partitiontable").GetProperty("partitions")[0];
        Assert.That(p.GetProperty("node").GetString(), Is.EqualTo("/dev/vda1"));
        return (p.GetProperty("start").GetInt64(), p.GetProperty("size").GetInt64(), p.GetProperty("uuid").GetString()!);
    }

    [Test]
    public void RealOutput_BootCurrentTimeoutAndBootOrder()
    {
        var config = Uefi();

        Assert.That(config.BootCurrent, Is.EqualTo("0010"), "the second boot came from BootNext=0010");
        Assert.That(config.Timeout, Is.EqualTo(0), "OVMF rewrites Timeout at every boot");
        Assert.That(config.BootOrder, Is.EqualTo(new[] { "0001", "0000", "0010", "0002", "0003" }),
            "efibootmgr -o moved 0010 last; OVMF appended the options it created for its devices");
    }

    [Test]
    public void RealOutput_EveryEntry_WithItsNumberLabelActiveFlagAndKind()
    {
        Assert.That(Uefi().Entries.Select(e => (e.Number, e.Label, e.Active, e.Kind)), Is.EqualTo(new[]
        {
            ("0000", "UiApp", true, EfiBootEntry.FirmwareVolume),
            ("0001", "debian", true, EfiBootEntry.HardDrive),
            ("0002", "UEFI Misc Device", true, EfiBootEntry.Device),
            ("0003", "EFI Internal Shell", true, EfiBootEntry.FirmwareVolume),
            ("0010", "debian kernel", true, EfiBootEntry.HardDrive),
            ("0011", "old debian", false, EfiBootEntry.HardDrive),
        }));
    }

    [Test]
    public void RealOutput_HardDriveEntries_NameTheEspOfTheSameMachine()
    {
        var config = Uefi();
        var espPartUuid = Fixtures.Blkid("uefi", "/dev/vda1", "PARTUUID");
        var (start, size, sfdiskUuid) = SfdiskEsp();
        Assert.That(sfdiskUuid, Is.EqualTo(espPartUuid).IgnoreCase, "blkid and sfdisk agree on the ESP");

        foreach (var number in new[] { "0001", "0010", "0011" })
        {
            var e = Entry(config, number);
            Assert.That((e.PartitionNumber, e.PartitionUuid, e.PartitionStart, e.PartitionSize),
                Is.EqualTo(((int?)1, (string?)espPartUuid, (long?)start, (long?)size)), $"Boot{number}");
        }
        Assert.That(config.Entries.Where(e => e.Kind == EfiBootEntry.HardDrive).Select(e => e.LoaderPath), Is.EqualTo(new[]
        {
            "\\EFI\\debian\\shimx64.efi", "\\EFI\\debian\\vmlinuz.efi", "\\EFI\\old\\grubx64.efi",
        }));
        Assert.That(Entry(config, "0001").DevicePath,
            Is.EqualTo($"HD(1,GPT,{espPartUuid},0x800,0x20000)/File(\\EFI\\debian\\shimx64.efi)"));
        Assert.That(Entry(config, "0001").OptionalData, Is.Null);
    }

    [Test]
    public void RealOutput_TheKernelEntry_CarriesItsCommandLineAsOptionalData()
    {
        var kernel = Entry(Uefi(), "0010");

        Assert.That(kernel.DevicePath, Does.EndWith("/File(\\EFI\\debian\\vmlinuz.efi)"), "the optional data is not part of the path");
        Assert.That(kernel.OptionalData, Does.StartWith("i.n.i.t.r.d.=.\\.E.F.I."));
        Assert.That(kernel.OptionalDataText, Is.EqualTo("initrd=\\EFI\\debian\\initrd.img console=ttyS0,115200 panic=-1 lab.disks=1"));
    }

    [Test]
    public void RealOutput_FirmwareAndDeviceEntries_AreNotDiskEntries()
    {
        var config = Uefi();
        var uiApp = Entry(config, "0000");
        var device = Entry(config, "0002");

        Assert.That(uiApp.DevicePath, Is.EqualTo("FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)"));
        Assert.That(Entry(config, "0003").DevicePath, Does.StartWith("FvVol(").And.Contain("/FvFile("));
        Assert.That(device.DevicePath, Is.EqualTo("PciRoot(0x0)/Pci(0x4,0x0)"));
        Assert.That(device.OptionalData, Is.EqualTo("N.....YM....R,Y."), "OVMF's marker of the options it created");
        Assert.That(device.OptionalDataText, Is.Null, "binary optional data is not text");
        foreach (var e in new[] { uiApp, device, Entry(config, "0003") })
            Assert.That((e.PartitionNumber, e.PartitionUuid, e.PartitionStart, e.LoaderPath), Is.EqualTo(((int?)null, (string?)null, (long?)null, (string?)null)), e.Label);
    }

    // Hand-written: efibootmgr 18 (not in Debian 12) prints OVMF's marker as {auto_created_boot_option}.
    [Test]
    public void Efibootmgr18_TheAutoCreatedMarkerIsOptionalData()
    {
        var entry = EfiBootMgr.Parse("Boot0002  UEFI QEMU DVD-ROM QM00003 \tPciRoot(0x0)/Pci(0x1,0x1)/Ata(Secondary,Master,0x0){auto_created_boot_option}\n").Entries.Single();

        Assert.That((entry.Label, entry.Active, entry.Kind), Is.EqualTo(("UEFI QEMU DVD-ROM QM00003", false, EfiBootEntry.Device)));
        Assert.That((entry.DevicePath, entry.OptionalData), Is.EqualTo(((string?)"PciRoot(0x0)/Pci(0x1,0x1)/Ata(Secondary,Master,0x0)", (string?)"{auto_created_boot_option}")));
    }

    // Hand-written: efibootmgr before 17 put a space, not a tab, between label and device path.
    [Test]
    public void OlderOutputWithoutATab()
    {
        var entry = EfiBootMgr.Parse("Boot0003* Linux Boot Manager HD(1,GPT,0a1b2c3d-0000-4000-8000-000000000001,0x800,0x100000)/File(\\EFI\\systemd\\systemd-bootx64.efi)\n").Entries.Single();

        Assert.That((entry.Label, entry.LoaderPath, entry.PartitionSize), Is.EqualTo(("Linux Boot Manager", (string?)"\\EFI\\systemd\\systemd-bootx64.efi", (long?)0x100000)));
    }

    [Test]
    public void AnMbrPartition_HasItsNumberStartAndSize_ButNoPartitionUuid()
    {
        var entry = EfiBootMgr.Parse("Boot0004* Windows Boot Manager\tHD(2,MBR,0x5336c149,0x800,0x32000)/File(\\EFI\\Microsoft\\Boot\\bootmgfw.efi)\n").Entries.Single();

        Assert.That((entry.Kind, entry.PartitionNumber, entry.PartitionUuid, entry.PartitionStart, entry.PartitionSize),
            Is.EqualTo((EfiBootEntry.HardDrive, (int?)2, (string?)null, (long?)2048, (long?)204800)));
    }

    [Test]
    public void ALoaderNameWithParentheses_IsKeptWhole()
    {
        var entry = EfiBootMgr.Parse("Boot0005* test\tHD(1,GPT,0a1b2c3d-0000-4000-8000-000000000001,0x800,0x1000)/File(\\EFI\\test (2)\\x.efi)a.b.\n").Entries.Single();

        Assert.That((entry.LoaderPath, entry.OptionalDataText), Is.EqualTo(((string?)"\\EFI\\test (2)\\x.efi", (string?)"ab")));
    }

    [Test]
    public void ATruncatedDevicePath_GivesNoPartition_AndKeepsTheTextAsPrinted()
    {
        var entry = EfiBootMgr.Parse("Boot0006* cut\tHD(1,GPT,0a1b2c3d-00\n").Entries.Single();

        Assert.That((entry.Kind, entry.DevicePath, entry.PartitionUuid, entry.OptionalData),
            Is.EqualTo((EfiBootEntry.Device, (string?)null, (string?)null, (string?)"HD(1,GPT,0a1b2c3d-00")));
    }

    [Test]
    public void AMalformedHardDriveNode_IsNotADiskEntry()
    {
        var entry = EfiBootMgr.Parse("Boot0007* odd\tHD(one,GPT,not-a-guid,0x800)/File(\\x.efi)\n").Entries.Single();

        Assert.That((entry.Kind, entry.PartitionNumber, entry.LoaderPath), Is.EqualTo((EfiBootEntry.Device, (int?)null, (string?)"\\x.efi")));
    }

    [Test]
    public void NoEfibootmgrOutput_GivesAnEmptyConfiguration()
    {
        var config = EfiBootMgr.Parse("");

        Assert.That((config.BootCurrent, config.Timeout, config.BootOrder.Count, config.Entries.Count), Is.EqualTo(((string?)null, (int?)null, 0, 0)));
    }

    [TestCase("N.....YM....R,Y.", null)]
    [TestCase("a.b", null)]
    [TestCase("ab..", null)]
    [TestCase("a.b.", "ab")]
    [TestCase("i.m...g.", "im.g")]
    public void Ucs2Text_OnlyWhenEveryOtherByteIsZero(string printed, string? text) =>
        Assert.That(EfiBootMgr.Ucs2Text(printed), Is.EqualTo(text));
}
