using System.Net;
using System.Text;
using RescueKit.Net.Dhcp;

namespace RescueKit.Net.Tests;

/// <summary>The proxyDHCP server on 127.0.0.1 (ports chosen by the kernel) against the tests' PXE client: what each
/// kind of client is offered on the DHCP port, the ACK on the boot-server port, and silence for everyone else.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ProxyDhcpServerTests
{
    private const string HostMac = "52:54:00:12:34:56";
    private TestDhcpClient _client = null!;
    private LogCapture _log = null!;
    private ProxyDhcpServer _server = null!;

    [SetUp]
    public void SetUp()
    {
        _client = new TestDhcpClient();
        _log = new LogCapture();
        _server = Server(http: 8080);
    }

    [TearDown]
    public void TearDown()
    {
        _server.Dispose();
        _client.Dispose();
    }

    private ProxyDhcpServer Server(int http, bool tftp = true) => new(new ProxyDhcpSettings(IPAddress.Loopback, 0)
    {
        PxePort = 0,
        ReplyAddress = IPAddress.Loopback,
        ClientPort = _client.Port,
        HttpPort = http,
        Tftp = tftp,
        BiosFile = "pxelinux.0",
        UefiFile = "rk-grubx64.efi",
        IpxeScript = mac => mac == HostMac ? "rescuekit/alpha/boot.ipxe" : null,
    }, _log.Logger);

    private DhcpPacket? Discover(ushort? arch, bool ipxe = false, string vendor = "PXEClient", byte[]? mac = null) =>
        _client.Exchange(TestDhcpClient.Request(DhcpMessageType.Discover, arch, ipxe, vendor, mac), _server.Port);

    private static string Option(DhcpPacket p, byte code) => Encoding.ASCII.GetString(p.Options.Get(code) ?? []);

    [Test]
    public void BiosClientIsOfferedPxelinuxWithoutAnAddress()
    {
        var offer = Discover(0)!;
        Assert.That(offer, Is.Not.Null, "no OFFER");
        Assert.Multiple(() =>
        {
            Assert.That(offer.Op, Is.EqualTo(DhcpPacket.BootReply));
            Assert.That(offer.MessageType, Is.EqualTo(DhcpMessageType.Offer));
            Assert.That(offer.Xid, Is.EqualTo(0x1234abcdu));
            Assert.That(offer.Yiaddr, Is.EqualTo(IPAddress.Any), "a proxy hands out no address");
            Assert.That(offer.Siaddr, Is.EqualTo(IPAddress.Loopback));
            Assert.That(offer.File, Is.EqualTo("pxelinux.0"));
            Assert.That(offer.HardwareAddress.ToArray(), Is.EqualTo(TestDhcpClient.Mac));
            Assert.That(Option(offer, DhcpOptionCode.VendorClassIdentifier), Is.EqualTo("PXEClient"));
            Assert.That(offer.Options.Get(DhcpOptionCode.ServerIdentifier), Is.EqualTo(new byte[] { 127, 0, 0, 1 }));
            Assert.That(offer.Options.Get(DhcpOptionCode.VendorSpecific), Is.EqualTo(new byte[] { 6, 1, 8, 255 }), "PXE_DISCOVERY_CONTROL: skip discovery");
            Assert.That(offer.Options.Get(DhcpOptionCode.ClientMachineIdentifier),
                Is.EqualTo(TestDhcpClient.Request(DhcpMessageType.Discover, 0).Options.Get(DhcpOptionCode.ClientMachineIdentifier)), "option 97 echoed");
        });
        // The line is written once the reply is sent, so it may trail the reply by a moment.
        Assert.That(() => _log.Lines, Has.Some.Contains(HostMac).And.Contains("pxelinux.0").And.Contains("arch 0").After(2000, 50));
    }

    [Test]
    public void UefiClientsAreOfferedTheGrubImage([Values((ushort)7, (ushort)9)] ushort arch) =>
        Assert.That(Discover(arch)?.File, Is.EqualTo("rk-grubx64.efi"));

    [Test]
    public void IpxeClientOfAKnownMacIsOfferedItsHostsScriptOverHttp()
    {
        var offer = Discover(0, ipxe: true)!;
        Assert.That(offer.File, Is.EqualTo("http://127.0.0.1:8080/rescuekit/alpha/boot.ipxe"));
        Assert.That(Option(offer, DhcpOptionCode.BootfileName), Is.EqualTo(offer.File));
    }

    [Test]
    public void IpxeClientOfAnUnknownMacGetsTheDefaultMenus()
    {
        Assert.That(Discover(0, ipxe: true, mac: [0x52, 0x54, 0, 0, 0, 9])?.File, Is.EqualTo("pxelinux.0"));
        Assert.That(Discover(7, ipxe: true, mac: [0x52, 0x54, 0, 0, 0, 9])?.File, Is.EqualTo("rk-grubx64.efi"));
    }

    [Test]
    public void IpxeClientWithoutHttpGetsTheDefaultMenuOverTftp()
    {
        _server.Dispose();
        _server = Server(http: 0);
        Assert.That(Discover(0, ipxe: true)?.File, Is.EqualTo("pxelinux.0"));
    }

    [Test]
    public void UefiHttpBootClientGetsAnHttpUrlAndHttpClientVendorClass()
    {
        var offer = Discover(16, vendor: "HTTPClient")!;
        Assert.That(offer.File, Is.EqualTo("http://127.0.0.1:8080/rk-grubx64.efi"));
        Assert.That(Option(offer, DhcpOptionCode.VendorClassIdentifier), Is.EqualTo("HTTPClient"));
        Assert.That(offer.Options.Has(DhcpOptionCode.VendorSpecific), Is.False, "no PXE options for an HTTP client");
    }

    [Test]
    public void NonPxeClientsAndUnknownArchitecturesGetNoAnswer()
    {
        Assert.That(Discover(null, vendor: "MSFT 5.0"), Is.Null, "a non-PXE client");
        Assert.That(Discover(11), Is.Null, "ARM64 UEFI: no boot file for it");
        Assert.That(_log.Lines, Has.Some.Contains("no answer").And.Contains("architecture 11"));
        Assert.That(Discover(0), Is.Not.Null, "the server still answers after ignoring those");
    }

    [Test]
    public void NoAnswerWhenTheNeededServerIsOff()
    {
        _server.Dispose();
        _server = Server(http: 0, tftp: false);
        Assert.That(Discover(0), Is.Null);
        Assert.That(Discover(16, vendor: "HTTPClient"), Is.Null);
        Assert.That(_log.Lines, Has.Some.Contains("TFTP, which is off"));
        Assert.That(_log.Lines, Has.Some.Contains("HTTP server, which is off"));
    }

    [Test]
    public void RequestOnTheDhcpPortIsLeftToTheSiteServer() =>
        Assert.That(_client.Exchange(TestDhcpClient.Request(DhcpMessageType.Request, 0), _server.Port), Is.Null);

    [Test]
    public void BootServerRequestGetsAnAckSentBack()
    {
        var request = TestDhcpClient.Request(DhcpMessageType.Request, 7);
        request.Ciaddr = IPAddress.Loopback;
        var ack = _client.Exchange(request, _server.PxePort)!;
        Assert.That(ack, Is.Not.Null, "no ACK on the boot-server port");
        Assert.Multiple(() =>
        {
            Assert.That(ack.MessageType, Is.EqualTo(DhcpMessageType.Ack));
            Assert.That(ack.File, Is.EqualTo("rk-grubx64.efi"));
            Assert.That(ack.Yiaddr, Is.EqualTo(IPAddress.Any));
            Assert.That(ack.Siaddr, Is.EqualTo(IPAddress.Loopback));
            Assert.That(ack.Ciaddr, Is.EqualTo(IPAddress.Loopback));
        });
        Assert.That(_client.Exchange(TestDhcpClient.Request(DhcpMessageType.Discover, 0), _server.PxePort), Is.Null, "DISCOVER on 4011 is not answered");
    }
}
