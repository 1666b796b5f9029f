using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// A PXE site in two network namespaces the test creates, joined by one Ethernet segment and reaching nothing else:
/// the boot server's namespace holds a bridge (<see cref="Bridge"/>, <see cref="BootServerAddress"/>) with QEMU's tap
/// (<see cref="Tap"/>) and one end of a veth pair on it; the other end is in the site's namespace
/// (<see cref="SiteDhcpAddress"/>), where dnsmasq hands out addresses only, as a site's DHCP server does (or, given
/// options, also names the boot files, as a site's DHCP server configured for PXE does). Two machines,
/// as on a real site: both DHCP servers read port 67. The segment is 10.0.2.0/24 with the boot server at 10.0.2.2, the
/// address the tree's iPXE scripts and GRUB image name (PxeTreeBootFixture). Dispose stops dnsmasq and deletes both
/// namespaces (and with them every device).
/// </summary>
public sealed class PxeLan : IDisposable
{
    public const string Bridge = "rkbr0";
    public const string Tap = "rktap0";
    public const string BootServerAddress = PxeTreeBootFixture.BootServer;
    public const string SiteDhcpAddress = "10.0.2.1";
    public const string PoolStart = "10.0.2.100";
    public const string PoolEnd = "10.0.2.150";

    /// <summary>The site DHCP server's link, which dnsmasq names in its log lines.</summary>
    public const string SiteLink = "rksite0";
    private const string BridgePort = "rkbrp0";
    private readonly string _scratch = Directory.CreateTempSubdirectory("rk-pxelan-").FullName;
    private readonly List<NetworkNamespace> _namespaces = [];

    private PxeLan()
    {
    }

    /// <summary>Where the boot server (`rescuekit serve`) and QEMU run.</summary>
    public string BootNamespace => _namespaces[1].Name;

    /// <summary>Where the site's DHCP server runs.</summary>
    public string SiteNamespace => _namespaces[0].Name;

    /// <summary>The site's DHCP server; its log has a DHCPACK line per lease.</summary>
    public BackgroundProcess? SiteDhcp { get; private set; }

    /// <summary>
    /// Creates the namespaces, the bridge, the tap and the veth pair, and starts dnsmasq, with
    /// <paramref name="siteDhcpOptions"/> added to its addresses-only command line (e.g. <c>--dhcp-boot=…</c>). Fails the
    /// test with the command and its error when this machine cannot (not root, no /dev/net/tun, no bridge or tun support).
    /// </summary>
    public static PxeLan Create(params string[] siteDhcpOptions)
    {
        if (!File.Exists("/dev/net/tun")) Assert.Fail("/dev/net/tun is missing: QEMU's tap NIC needs the tun driver (modprobe tun, or mknod /dev/net/tun c 10 200)");
        var lan = new PxeLan();
        try
        {
            lan.Build(siteDhcpOptions);
            return lan;
        }
        catch
        {
            lan.Dispose();
            throw;
        }
    }

    private void Build(string[] siteDhcpOptions)
    {
        _namespaces.Add(NetworkNamespace.Create($"rkpxe-site-{Environment.ProcessId}"));
        _namespaces.Add(NetworkNamespace.Create($"rkpxe-boot-{Environment.ProcessId}"));
        var (site, boot) = (_namespaces[0], _namespaces[1]);
        boot.Ip("link", "add", Bridge, "type", "bridge");
        // No spanning tree and no forwarding delay: a bridge port forwards as soon as it is up, so the firmware's first
        // DISCOVER is not lost in the 15 s listening state.
        boot.Ip("link", "set", Bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        boot.Ip("tuntap", "add", "dev", Tap, "mode", "tap");
        boot.Ip("link", "set", Tap, "master", Bridge);
        boot.Ip("link", "add", BridgePort, "type", "veth", "peer", "name", SiteLink);
        boot.Ip("link", "set", SiteLink, "netns", site.Name);
        boot.Ip("link", "set", BridgePort, "master", Bridge);
        boot.Ip("addr", "add", $"{BootServerAddress}/24", "dev", Bridge);
        site.Ip("addr", "add", $"{SiteDhcpAddress}/24", "dev", SiteLink);
        foreach (var dev in new[] { Bridge, Tap, BridgePort }) boot.Ip("link", "set", dev, "up");
        site.Ip("link", "set", SiteLink, "up");

        // Addresses only unless the test adds boot options: no pxe-service, no TFTP, no DNS (port 0). The lease file and
        // pid are ours.
        var dnsmasq = ExternalTool.Require("dnsmasq", "dnsmasq-base");
        SiteDhcp = BackgroundProcess.Start("site-dnsmasq", dnsmasq,
            ["--no-daemon", "--conf-file=/dev/null", "--port=0", "--user=root", "--group=root", $"--interface={SiteLink}",
             "--bind-interfaces", "--except-interface=lo", $"--dhcp-range={PoolStart},{PoolEnd},255.255.255.0,1h",
             $"--dhcp-leasefile={Path.Combine(_scratch, "leases")}", $"--pid-file={Path.Combine(_scratch, "dnsmasq.pid")}",
             "--log-dhcp", "--log-facility=-", .. siteDhcpOptions],
            SiteNamespace);
        SiteDhcp.WaitForLog(new System.Text.RegularExpressions.Regex(@"DHCP, IP range " + System.Text.RegularExpressions.Regex.Escape(PoolStart)),
            TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        SiteDhcp?.Dispose();
        SiteDhcp = null;
        foreach (var ns in _namespaces) ns.Dispose();
        _namespaces.Clear();
        if (Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true);
    }
}
