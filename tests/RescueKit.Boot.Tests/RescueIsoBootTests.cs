using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The rescue ISO of this host boots four ways — CD and raw disk (the isohybrid USB path), under SeaBIOS and OVMF — through
/// every init stage into the restore front-end; and inside it, selftest passes.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public class RescueIsoBootTests
{
    [TestCase(QemuFirmware.SeaBios, false, TestName = "BiosCdrom")]
    [TestCase(QemuFirmware.SeaBios, true, TestName = "BiosUsbDisk")]
    [TestCase(QemuFirmware.Ovmf, false, TestName = "UefiCdrom")]
    [TestCase(QemuFirmware.Ovmf, true, TestName = "UefiUsbDisk")]
    public void BootsThroughEveryStageToTheFrontEnd(QemuFirmware firmware, bool asDisk)
    {
        using var vm = RescueIsoBoot.Start($"{firmware}-{(asDisk ? "disk" : "cd")}", RescueIsoFixture.IsoPath, firmware, asDisk);
        RescueIsoBoot.WaitForFrontEnd(vm);
    }

    [Test]
    public void SelftestPassesInsideTheRescueSystem()
    {
        using var vm = RescueIsoBoot.Start("selftest", RescueIsoFixture.IsoPath, QemuFirmware.SeaBios, asDisk: false);
        RescueIsoBoot.OpenExpertShell(vm);
        RescueIsoBoot.AssertSelftestPasses(vm);
    }
}
