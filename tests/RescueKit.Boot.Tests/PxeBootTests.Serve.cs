using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RescueKit.Boot.Tests.Harness;

namespace RescueKit.Boot.Tests;

/// <summary>
/// The same tree served by `rescuekit serve` (docs/serve.md) instead of QEMU's TFTP server: iPXE loading a host's
/// boot.ipxe, kernel and initrd over HTTP from the host's loopback; and the whole proxyDHCP path on a LAN of its own
/// (PxeLan: two network namespaces, a bridge and QEMU's tap), where dnsmasq hands out the addresses and the proxy the
/// boot files, as beside a site's DHCP server.
/// </summary>
public partial class PxeBootTests
{
    /// <summary>
    /// QEMU's DHCP names the host's boot.ipxe URL as the boot file; the NIC's iPXE ROM (SeaBIOS) fetches the script from
    /// `rescuekit serve` on the loopback, and the script the kernel and initrd. QEMU and serve run in a network
    /// namespace of the test's own with only a loopback, so the guest, which needs restrict=off to reach 10.0.2.2 (QEMU
    /// maps it to the loopback), reaches serve and nothing else; and port 8080 is free there.
    /// </summary>
    [Test]
    public void BiosIpxe_LoadsTheHostsScriptKernelAndInitrdOverHttpFromServe()
    {
        var tree = PxeTreeBootFixture.Root;
        using var ns = NetworkNamespace.Create($"rkipxe-{Environment.ProcessId}");
        using var serve = StartServe(ns.Name, tree, "--bind", "127.0.0.1", "--tftp-port", "0",
            "--http-port", PxeTreeBootFixture.HttpPort.ToString(CultureInfo.InvariantCulture));
        var script = $"http://{PxeTreeBootFixture.BootServer}:{PxeTreeBootFixture.HttpPort}/rescuekit/{PxeTreeBootFixture.HostB}/boot.ipxe";
        using var vm = QemuMachine.Create("ipxe-http-beta").WithMemory(2048)
            .WithPxeBoot(tree, script, PxeTreeBootFixture.MacB, restrict: false).InNetworkNamespace(ns.Name).Build().Start();

        var address = AssertBootsTheHostOfTheMac(vm, PxeTreeBootFixture.HostB, PxeTreeBootFixture.MacB);
        Assert.That(address, Is.EqualTo("10.0.2.15"));
        serve.Stop(TimeSpan.FromSeconds(20));
        AssertServedOverHttp(serve, tree, PxeTreeBootFixture.HostB, "boot.ipxe", "vmlinuz", "initrd.img");
    }

    /// <summary>
    /// UEFI iPXE: the site's DHCP server (dnsmasq on a LAN of the test's own) chains it, as a site configured for iPXE
    /// does: OVMF's own PXE (no NIC ROM) is named the tree's ipxe.efi, and iPXE, asking again with its user class, the
    /// host's boot.ipxe URL; `rescuekit serve` serves ipxe.efi over TFTP and the script, kernel and initrd over HTTP.
    /// (undionly.kpxe has no such case: every NIC ROM QEMU has is iPXE already, which the test above boots.)
    /// </summary>
    [Test]
    public void UefiIpxe_ChainedBySitesDhcp_LoadsTheHostsScriptKernelAndInitrdOverHttpFromServe()
    {
        var tree = PxeTreeBootFixture.Root;
        var script = $"http://{PxeLan.BootServerAddress}:{PxeTreeBootFixture.HttpPort}/rescuekit/{PxeTreeBootFixture.HostA}/boot.ipxe";
        using var lan = PxeLan.Create("--dhcp-userclass=set:ipxe,iPXE",
            $"--dhcp-boot=tag:!ipxe,ipxe.efi,rkboot,{PxeLan.BootServerAddress}", $"--dhcp-boot=tag:ipxe,{script}");
        using var serve = StartServe(lan.BootNamespace, tree, "--http-port", PxeTreeBootFixture.HttpPort.ToString(CultureInfo.InvariantCulture));
        using var vm = QemuMachine.Create("ipxe-efi-http-alpha").WithFirmware(QemuFirmware.Ovmf).WithMemory(2048)
            .WithTapPxeBoot(PxeLan.Tap, PxeTreeBootFixture.MacA).InNetworkNamespace(lan.BootNamespace).Build().Start();

        var address = AssertBootsTheHostOfTheMac(vm, PxeTreeBootFixture.HostA, PxeTreeBootFixture.MacA);
        Assert.That(address, Does.StartWith("10.0.2."));
        serve.Stop(TimeSpan.FromSeconds(20));
        AssertServedOverTftp(serve, tree, "ipxe.efi");
        AssertServedOverHttp(serve, tree, PxeTreeBootFixture.HostA, "boot.ipxe", "vmlinuz", "initrd.img");
        Assert.That(serve.Log, Does.Not.Match($@"tftp \S+ /?rescuekit/{PxeTreeBootFixture.HostA}/"), "iPXE loaded the host's files over TFTP, not HTTP");
    }

    /// <summary>
    /// The firmware gets its address from the site's dnsmasq (no PXE options there) and its boot file from
    /// `rescuekit serve --proxy-dhcp` on the bridge: under SeaBIOS the NIC's iPXE ROM is sent its host's boot.ipxe URL
    /// and loads kernel and initrd over HTTP; under OVMF the firmware's PXE is sent rk-grubx64.efi over TFTP, which
    /// reads its MAC's grub.cfg. Either way the host of the MAC reaches the front-end, with an address of the site's pool.
    /// </summary>
    [TestCase(QemuFirmware.SeaBios, PxeTreeBootFixture.HostB, PxeTreeBootFixture.MacB, TestName = "ProxyDhcp_BiosIpxeRomBootsTheHostOfItsMacOverHttp")]
    [TestCase(QemuFirmware.Ovmf, PxeTreeBootFixture.HostA, PxeTreeBootFixture.MacA, TestName = "ProxyDhcp_UefiPxeBootsTheHostOfItsMacOverTftp")]
    public void ProxyDhcp_BesideAnAddressOnlyDhcpServer_TheFirmwareBootsTheHostOfItsMac(QemuFirmware firmware, string host, string mac)
    {
        var tree = PxeTreeBootFixture.Root;
        using var lan = PxeLan.Create();
        using var serve = StartServe(lan.BootNamespace, tree, "--proxy-dhcp", PxeLan.Bridge,
            "--http-port", PxeTreeBootFixture.HttpPort.ToString(CultureInfo.InvariantCulture));
        using var vm = QemuMachine.Create($"proxydhcp-{firmware}-{host}").WithFirmware(firmware).WithMemory(2048)
            .WithTapPxeBoot(PxeLan.Tap, mac).InNetworkNamespace(lan.BootNamespace).Build().Start();

        var address = AssertBootsTheHostOfTheMac(vm, host, mac);
        var octets = IPAddress.Parse(address).GetAddressBytes();
        Assert.That(address, Does.StartWith("10.0.2."));
        Assert.That((int)octets[3], Is.InRange(IPAddress.Parse(PxeLan.PoolStart).GetAddressBytes()[3], IPAddress.Parse(PxeLan.PoolEnd).GetAddressBytes()[3]),
            $"{address} is not of the site's pool {PxeLan.PoolStart}-{PxeLan.PoolEnd}");
        Assert.That(lan.SiteDhcp!.Log, Does.Contain($"DHCPACK({PxeLan.SiteLink}) {address} {mac}"),
            "the site's DHCP server did not hand out the address the rescue system has");
        serve.Stop(TimeSpan.FromSeconds(20));

        var ipxe = firmware == QemuFirmware.SeaBios;
        var offer = new Regex($@"proxyDHCP Offer to {Regex.Escape(mac)} \(arch (\d+)[^)]*\) at [0-9.:]+: (\S+)").Match(serve.Log);
        Assert.That(offer.Success, Is.True, $"the proxy made no offer to {mac}:\n{serve.Log}");
        Assert.That(offer.Groups[2].Value, Is.EqualTo(ipxe
            ? $"http://{PxeLan.BootServerAddress}:{PxeTreeBootFixture.HttpPort}/rescuekit/{host}/boot.ipxe"
            : "rk-grubx64.efi"));
        if (ipxe) AssertServedOverHttp(serve, tree, host, "boot.ipxe", "vmlinuz", "initrd.img");
        else AssertServedOverTftp(serve, tree, "rk-grubx64.efi", $"rescuekit/{host}/vmlinuz", $"rescuekit/{host}/initrd.img");
    }

    /// <summary>`rescuekit serve --root TREE OPTIONS`, inside <paramref name="networkNamespace"/> when given, once it says it serves.</summary>
    private static BackgroundProcess StartServe(string? networkNamespace, string tree, params string[] options)
    {
        var serve = BackgroundProcess.Start("serve", RescueIsoFixture.Binary, ["serve", "--root", tree, .. options], networkNamespace);
        try
        {
            serve.WaitForLog(new Regex(@"Serving .*; Ctrl-C stops"), TimeSpan.FromSeconds(30));
            return serve;
        }
        catch
        {
            serve.Dispose();
            throw;
        }
    }

    /// <summary>Each of the host's <paramref name="files"/> has an `http` transfer line in the serve log, whole and ok.</summary>
    private static void AssertServedOverHttp(BackgroundProcess serve, string tree, string host, params string[] files) =>
        AssertServed(serve, tree, "http", files.Select(f => $"rescuekit/{host}/{f}"));

    private static void AssertServedOverTftp(BackgroundProcess serve, string tree, params string[] files) =>
        AssertServed(serve, tree, "tftp", files);

    private static void AssertServed(BackgroundProcess serve, string tree, string protocol, IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            var size = new FileInfo(Path.Combine(tree, file)).Length;
            var line = new Regex($@"{protocol} [0-9.]+:\d+ /?{Regex.Escape(file)}: {size} bytes in [0-9.]+ s \([0-9.]+ MB/s\): ok").Match(serve.Log);
            Assert.That(line.Success, Is.True, $"serve logged no whole {protocol} transfer of {file} ({size} bytes):\n{serve.Log}");
            TestContext.Out.WriteLine($"serve: {line.Value}");
        }
    }
}
