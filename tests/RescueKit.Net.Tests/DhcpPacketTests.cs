using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using RescueKit.Net.Dhcp;
using RescueKit.Tests.Shared;

namespace RescueKit.Net.Tests;

/// <summary>The DHCP packet reader/writer against RFC 2131's offsets and against scapy, an independent implementation.</summary>
[TestFixture]
public sealed class DhcpPacketTests
{
    private static DhcpPacket Offer()
    {
        var request = TestDhcpClient.Request(DhcpMessageType.Discover, 7);
        var offer = new DhcpPacket
        {
            Op = DhcpPacket.BootReply, Xid = request.Xid, Flags = request.Flags, Chaddr = request.Chaddr,
            Siaddr = IPAddress.Parse("192.168.77.2"), File = "rk-grubx64.efi", Sname = "boot",
        };
        offer.Options.Set(DhcpOptionCode.MessageType, [(byte)DhcpMessageType.Offer])
            .Set(DhcpOptionCode.ServerIdentifier, [192, 168, 77, 2])
            .Set(DhcpOptionCode.VendorClassIdentifier, Encoding.ASCII.GetBytes("PXEClient"))
            .Set(DhcpOptionCode.VendorSpecific, [6, 1, 8, 255]);
        return offer;
    }

    [Test]
    public void FieldsSitAtRfc2131Offsets()
    {
        var bytes = Offer().ToBytes();
        Assert.Multiple(() =>
        {
            Assert.That(bytes, Has.Length.GreaterThanOrEqualTo(300), "padded to a BOOTP message's 300 bytes");
            Assert.That(bytes[0], Is.EqualTo(2), "op BOOTREPLY");
            Assert.That(bytes[1..4], Is.EqualTo(new byte[] { 1, 6, 0 }), "htype, hlen, hops");
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4)), Is.EqualTo(0x1234abcdu), "xid");
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10)), Is.EqualTo(0x8000), "flags");
            Assert.That(bytes[16..20], Is.EqualTo(new byte[4]), "yiaddr 0");
            Assert.That(bytes[20..24], Is.EqualTo(new byte[] { 192, 168, 77, 2 }), "siaddr");
            Assert.That(bytes[28..34], Is.EqualTo(TestDhcpClient.Mac), "chaddr");
            Assert.That(Encoding.ASCII.GetString(bytes, 44, 4), Is.EqualTo("boot"), "sname at 44");
            Assert.That(Encoding.ASCII.GetString(bytes, 108, 15), Is.EqualTo("rk-grubx64.efi\0"), "file at 108, NUL-terminated");
            Assert.That(bytes[236..240], Is.EqualTo(new byte[] { 99, 130, 83, 99 }), "magic cookie");
            Assert.That(bytes[240..243], Is.EqualTo(new byte[] { 53, 1, 2 }), "option 53 first: OFFER");
        });
    }

    [Test]
    public void RoundTripKeepsEveryField()
    {
        var offer = Offer();
        var back = DhcpPacket.Parse(offer.ToBytes())!;
        Assert.Multiple(() =>
        {
            Assert.That(back.Xid, Is.EqualTo(offer.Xid));
            Assert.That(back.Siaddr, Is.EqualTo(offer.Siaddr));
            Assert.That(back.File, Is.EqualTo("rk-grubx64.efi"));
            Assert.That(back.Sname, Is.EqualTo("boot"));
            Assert.That(back.MessageType, Is.EqualTo(DhcpMessageType.Offer));
            Assert.That(back.Options.Get(DhcpOptionCode.VendorSpecific), Is.EqualTo(new byte[] { 6, 1, 8, 255 }));
            Assert.That(back.Options.Codes, Is.EqualTo(new byte[] { 53, 54, 60, 43 }));
        });
    }

    [Test]
    public void TruncatedOrCookielessPacketsAreRefused()
    {
        var bytes = Offer().ToBytes();
        Assert.That(DhcpPacket.Parse(bytes.AsSpan(0, 239)), Is.Null, "cut before the options");
        var noCookie = (byte[])bytes.Clone();
        noCookie[236] = 0;
        Assert.That(DhcpPacket.Parse(noCookie), Is.Null, "no magic cookie");
        var cut = bytes[..243].Concat(new byte[] { 60, 20, 1, 2 }).ToArray();
        Assert.That(DhcpPacket.Parse(cut), Is.Null, "an option running past the end");
    }

    [Test]
    public void ScapyReadsWhatWeWrite()
    {
        var hex = Convert.ToHexString(Offer().ToBytes());
        var json = Scapy("""
            import sys, json
            from scapy.layers.dhcp import BOOTP, DHCP
            p = BOOTP(bytes.fromhex(sys.stdin.read().strip()))
            opts = {str(o[0]): (o[1].hex() if isinstance(o[1], bytes) else str(o[1])) for o in p[DHCP].options if isinstance(o, tuple)}
            print(json.dumps({"op": p.op, "xid": p.xid, "yiaddr": p.yiaddr, "siaddr": p.siaddr, "chaddr": p.chaddr[:6].hex(),
                              "file": p.file.rstrip(b"\0").decode(), "sname": p.sname.rstrip(b"\0").decode(), "opts": opts}))
            """, hex);
        var r = JsonDocument.Parse(json).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("op").GetInt32(), Is.EqualTo(2));
            Assert.That(r.GetProperty("xid").GetUInt32(), Is.EqualTo(0x1234abcdu));
            Assert.That(r.GetProperty("yiaddr").GetString(), Is.EqualTo("0.0.0.0"));
            Assert.That(r.GetProperty("siaddr").GetString(), Is.EqualTo("192.168.77.2"));
            Assert.That(r.GetProperty("chaddr").GetString(), Is.EqualTo("525400123456"));
            Assert.That(r.GetProperty("file").GetString(), Is.EqualTo("rk-grubx64.efi"));
            Assert.That(r.GetProperty("sname").GetString(), Is.EqualTo("boot"));
            var opts = r.GetProperty("opts");
            Assert.That(opts.GetProperty("message-type").GetString(), Is.EqualTo("2"));
            Assert.That(opts.GetProperty("server_id").GetString(), Is.EqualTo("192.168.77.2"));
            Assert.That(opts.GetProperty("vendor_class_id").GetString(), Is.EqualTo(Convert.ToHexStringLower(Encoding.ASCII.GetBytes("PXEClient"))));
            Assert.That(opts.GetProperty("vendor_specific").GetString(), Is.EqualTo("060108ff"));
        });
    }

    [Test]
    public void WeReadWhatScapyWrites()
    {
        var hex = Scapy("""
            from scapy.layers.dhcp import BOOTP, DHCP
            p = BOOTP(op=1, xid=0xdeadbeef, flags=0x8000, chaddr=bytes.fromhex("525400abcdef") + bytes(10)) / DHCP(options=[
                ("message-type", "discover"), ("vendor_class_id", b"PXEClient:Arch:00000:UNDI:002001"),
                (93, b"\x00\x00"), (94, b"\x01\x02\x01"), (77, b"iPXE"), (97, b"\x00" + bytes(range(16))), "end"])
            print(bytes(p).hex())
            """, "");
        var packet = DhcpPacket.Parse(Convert.FromHexString(hex.Trim()))!;
        Assert.That(packet, Is.Not.Null);
        var client = PxeClientRequest.From(packet)!;
        Assert.Multiple(() =>
        {
            Assert.That(packet.Xid, Is.EqualTo(0xdeadbeefu));
            Assert.That(packet.MessageType, Is.EqualTo(DhcpMessageType.Discover));
            Assert.That(client.Mac, Is.EqualTo("52:54:00:ab:cd:ef"));
            Assert.That(client.Architecture, Is.EqualTo((ushort)0));
            Assert.That(client.IsIpxe, Is.True);
            Assert.That(client.VendorClass, Is.EqualTo("PXEClient:Arch:00000:UNDI:002001"));
            Assert.That(client.MachineIdentifier, Has.Length.EqualTo(17));
        });
    }

    private static string Scapy(string script, string stdin)
    {
        var probe = ExternalTool.Run("/usr/bin/python3", "python3-scapy", ["-c", "import scapy.layers.dhcp"]);
        if (probe.ExitCode != 0) Assert.Fail($"scapy is not importable by /usr/bin/python3: apt-get install python3-scapy ({probe.Stderr.Trim()})");
        return ExternalTool.RunOk("/usr/bin/python3", "python3-scapy", ["-c", script], stdinText: stdin, timeoutSeconds: 120);
    }
}
