using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The rescue ISO of this host under OVMF with Microsoft's keys and Secure Boot enforcing (Debian's secboot build and
/// its .ms variable store): from CD and as a raw disk it boots through shim, signed GRUB and the signed kernel to the
/// front-end, which says Secure Boot is on with the kernel locked down. The ISO built with `--secure-boot off` is
/// refused by the same firmware, so these tests can fail.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public class SecureBootIsoBootTests
{
    /// <summary>Long enough for OVMF to try every boot option under TCG; the rescue banner takes ~15 s more than that.</summary>
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromMinutes(3);

    [TestCase(false, TestName = "SecureBootCdrom")]
    [TestCase(true, TestName = "SecureBootUsbDisk")]
    public void BootsWithSecureBootEnforcing_AndSaysSo(bool asDisk)
    {
        using var vm = RescueIsoBoot.Start($"secureboot-{(asDisk ? "disk" : "cd")}", RescueIsoFixture.IsoPath, QemuFirmware.Ovmf, asDisk, secureBoot: true);

        RescueIsoBoot.WaitForFrontEnd(vm);

        Assert.That(vm.Transcript, Does.Contain("Secure Boot: on, kernel lockdown: integrity"));
        if (asDisk) return;
        // Under lockdown only modules with an intact signature load: selftest modprobes every essential one.
        RescueIsoBoot.OpenExpertShell(vm);
        var (output, exitCode) = vm.RunShell("rescuekit selftest", TimeSpan.FromMinutes(3));
        Assert.That(output, Does.Contain("ok    Secure Boot: on, kernel lockdown: integrity"));
        Assert.That(output, Does.Contain("ok    module sr_mod").Or.Contain("ok    module isofs"));
        Assert.That(output, Does.Contain("RescueKit selftest: PASS"));
        Assert.That(exitCode, Is.EqualTo(0));
    }

    [Test]
    public void UnsignedBootPath_IsRefusedByTheFirmware()
    {
        using var vm = RescueIsoBoot.Start("secureboot-unsigned", RescueIsoFixture.UnsignedIsoPath, QemuFirmware.Ovmf, asDisk: false, secureBoot: true);

        // edk2's boot manager (BdsDxe) names the refused option with EFI_SECURITY_VIOLATION's text, "Access Denied".
        var refusal = vm.WaitFor(new Regex(@"BdsDxe: failed to load Boot\d+ ""[^""]*DVD[^""]*""[^\n]*: Access Denied"), RefusalTimeout);
        TestContext.Out.WriteLine($"{vm.Name}: {refusal.Value.Trim()} after {vm.Elapsed.TotalSeconds:F1} s");
        // What follows the refusal (other boot options, the boot manager) must never start the rescue system.
        try
        {
            vm.WaitFor(RescueIsoBoot.BannerPattern(), TimeSpan.FromSeconds(30));
            Assert.Fail($"the unsigned boot path reached the rescue front-end under Secure Boot:\n{vm.Transcript}");
        }
        catch (TimeoutException) { }
        catch (InvalidOperationException) { }  // QEMU stopped (-no-reboot) with no rescue system: refused too
        Assert.That(vm.Transcript, Does.Not.Contain("[rk] stage"));
    }
}
