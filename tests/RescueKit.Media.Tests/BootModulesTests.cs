using RescueKit.Media;

namespace RescueKit.Media.Tests;

/// <summary>How module paths of modules.dep map to the names modprobe and /proc/modules use.</summary>
public sealed class BootModulesTests
{
    [TestCase("kernel/fs/ext4/ext4.ko", "ext4")]
    [TestCase("kernel/drivers/hid/hid-generic.ko", "hid_generic")]
    [TestCase("kernel/drivers/usb/storage/usb-storage.ko.zst", "usb_storage")]
    [TestCase("kernel/drivers/scsi/sr_mod.ko.xz", "sr_mod")]
    public void ModuleNameIsTheFileNameWithoutKoAndWithUnderscores(string path, string name)
    {
        Assert.That(BootModules.ModuleName(path), Is.EqualTo(name));
    }

    [TestCase("kernel/drivers/ata/ata_piix.ko", true)]
    [TestCase("kernel/drivers/usb/storage/uas.ko", true)]
    [TestCase("kernel/fs/isofs/isofs.ko", true)]
    [TestCase("kernel/drivers/net/ethernet/intel/e1000/e1000.ko", false)]
    [TestCase("kernel/drivers/scsi/megaraid/megaraid_sas.ko", false)]
    [TestCase("kernel/fs/xfs/xfs.ko", false)]
    public void FamiliesHoldWhatFindingTheMediumNeeds(string path, bool inInitramfs)
    {
        Assert.That(BootModules.Families.Any(f => path.StartsWith(f, StringComparison.Ordinal)), Is.EqualTo(inInitramfs));
    }
}
