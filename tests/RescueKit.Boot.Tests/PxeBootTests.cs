using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// A PXE tree of this host with two hosts (docs/pxe.md), booted through QEMU's user network (its DHCP and TFTP
/// server, restrict=on) the way a NIC boots it: under SeaBIOS the NIC's PXE ROM loads pxelinux.0, under OVMF the
/// firmware's own PXE loads the GRUB network image, whose prefix names the TFTP server (the proxyDHCP-safe form). Each
/// time the host chosen by the NIC's MAC boots (its name on the console), every init stage reports ok, the network
/// stage brings up the NIC that booted, and the front-end starts.
/// iPXE over HTTP from `rescuekit serve` and the proxyDHCP path in a network namespace: PxeBootTests.Serve.cs.
/// </summary>
[Category("Boot")]
[NonParallelizable]
public partial class PxeBootTests
{
    [TestCase(QemuFirmware.SeaBios, PxeTreeBootFixture.HostB, PxeTreeBootFixture.MacB, "pxelinux.0", TestName = "BiosPxelinuxBootsTheHostOfItsMac")]
    [TestCase(QemuFirmware.Ovmf, PxeTreeBootFixture.HostA, PxeTreeBootFixture.MacA, "rk-grubx64.efi", TestName = "UefiGrubBootsTheHostOfItsMac")]
    [TestCase(QemuFirmware.SeaBios, PxeTreeBootFixture.HostA, PxeTreeBootFixture.MacA, "pxelinux.0", TestName = "BiosPxelinuxBootsTheOtherHostByItsMac")]
    [TestCase(QemuFirmware.Ovmf, PxeTreeBootFixture.HostB, PxeTreeBootFixture.MacB, "rk-grubx64.efi", TestName = "UefiGrubBootsTheOtherHostByItsMac")]
    public void TheHostOfTheMacBootsThroughEveryStage(QemuFirmware firmware, string host, string mac, string bootFile)
    {
        var tree = PxeTreeBootFixture.Root;
        using var vm = QemuMachine.Create($"pxe-{firmware}-{host}").WithFirmware(firmware).WithMemory(2048)
            .WithPxeBoot(tree, bootFile, mac).Build().Start();

        var address = AssertBootsTheHostOfTheMac(vm, host, mac);
        Assert.That(address, Is.EqualTo("10.0.2.15"), "QEMU's DHCP gives its one guest 10.0.2.15");
    }

    /// <summary>
    /// Waits for the rescue system of <paramref name="host"/> to say it was booted by <paramref name="mac"/>, for every
    /// init stage and the front-end; checks that 30-network brought up that NIC and 40-media found no backup (the tree
    /// gives no rk.source). Returns the address 30-network's DHCP got.
    /// </summary>
    private static string AssertBootsTheHostOfTheMac(QemuMachine vm, string host, string mac)
    {
        var booted = vm.WaitFor(new Regex(@"\[rk\] rescue system of (\S+), booted from the network by (\S+)\n"), RescueIsoBoot.BootTimeout);
        Assert.That(booted.Groups[1].Value, Is.EqualTo(host), "the per-MAC file of another host was used");
        Assert.That(booted.Groups[2].Value, Is.EqualTo(mac), "BOOTIF names the NIC that booted");
        RescueIsoBoot.WaitForFrontEnd(vm);

        var transcript = vm.Transcript;
        var network = new Regex($@"\[rk\] stage 30-network: ok \(eth0 \(the NIC that booted, {Regex.Escape(mac)}\) dhcp ([0-9.]+)\)\n").Match(transcript);
        Assert.That(network.Success, Is.True, $"30-network did not bring up the NIC that booted ({mac}) by DHCP");
        Assert.That(transcript, Does.Contain("[rk] stage 40-media: ok (booted from the network without rk.source and no medium labelled RESCUEKIT: no backup)"));
        return network.Groups[1].Value;
    }

    /// <summary>Long enough for OVMF to try the network boot option under TCG and refuse it.</summary>
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromMinutes(3);

    /// <summary>OVMF with Microsoft's keys and Secure Boot enforcing, network-booting <paramref name="bootFile"/> of the tree.</summary>
    private static QemuMachine SecureBootPxe(string name, string bootFile, string mac)
    {
        VmLab.RequireOvmf();
        var variables = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"ovmf-vars-{name}.fd");
        File.Copy(QemuMachineBuilder.OvmfSecureBootVarsTemplatePath, variables, overwrite: true);
        return QemuMachine.Create(name).WithSecureBoot(variables).WithMemory(2048)
            .WithPxeBoot(PxeTreeBootFixture.Root, bootFile, mac).Build().Start();
    }

    [Test]
    public void UefiSecureBoot_ShimAndSignedGrubBootTheHostOfItsMac_AndSayItIsOn()
    {
        Assert.That(File.Exists(Path.Combine(PxeTreeBootFixture.Root, "shimx64.efi")), Is.True,
            "the PXE tree has no shimx64.efi: install shim-signed, grub-efi-amd64-signed and a signed kernel on the build host");
        using var vm = SecureBootPxe("pxe-secureboot", "shimx64.efi", PxeTreeBootFixture.MacB);

        var booted = vm.WaitFor(new Regex(@"\[rk\] rescue system of (\S+), booted from the network by (\S+)\n"), RescueIsoBoot.BootTimeout);
        Assert.That(booted.Groups[1].Value, Is.EqualTo(PxeTreeBootFixture.HostB), "the signed GRUB did not use the per-MAC menu");
        RescueIsoBoot.WaitForFrontEnd(vm);
        Assert.That(vm.Transcript, Does.Contain("Secure Boot: on, kernel lockdown: integrity"));
        TestContext.Out.WriteLine($"{vm.Name}: front-end after {vm.Elapsed.TotalSeconds:F1} s");
    }

    [Test]
    public void UefiSecureBoot_RefusesTheUnsignedGrubNetworkImage()
    {
        using var vm = SecureBootPxe("pxe-secureboot-unsigned", "rk-grubx64.efi", PxeTreeBootFixture.MacA);

        // edk2's boot manager names the refused option with EFI_SECURITY_VIOLATION's text, "Access Denied".
        var refusal = vm.WaitFor(new Regex(@"BdsDxe: failed to load Boot\d+ ""[^""]*PXE[^""]*""[^\n]*: Access Denied"), RefusalTimeout);
        TestContext.Out.WriteLine($"{vm.Name}: {refusal.Value.Trim()} after {vm.Elapsed.TotalSeconds:F1} s");
        try
        {
            vm.WaitFor(RescueIsoBoot.BannerPattern(), TimeSpan.FromSeconds(30));
            Assert.Fail($"the unsigned GRUB network image reached the rescue front-end under Secure Boot:\n{vm.Transcript}");
        }
        catch (TimeoutException) { }
        catch (InvalidOperationException) { }  // QEMU stopped (-no-reboot) with no rescue system: refused too
        Assert.That(vm.Transcript, Does.Not.Contain("[rk] stage"));
    }
}
