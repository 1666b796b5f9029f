using System.Buffers.Binary;
using NUnit.Framework;
using RescueKit.Boot.Tests.Harness;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests;

[Category("Boot")]
public sealed class VmLabTests
{
    private const long MiB = 1024 * 1024;

    [Test]
    public void GuestScriptPartitionsABlankVirtioDiskWithTheHostsSfdiskAndReportsBack()
    {
        VmLab.RequireQemu();
        ExternalTool.Require("sfdisk", "fdisk");
        using var lab = new VmLab("sfdisk");
        var disk = lab.AddBlankDisk(64 * MiB);

        var exit = lab.Run("""
            uname -r > uname
            printf 'label: dos\nstart=2048, size=32768, type=83\nstart=34816, type=8e\n' | hostrun sfdisk --no-reread /dev/vda
            # The guest kernel rereads the table here; the build host's kernel cannot (DESIGN §7).
            blockdev --rereadpt /dev/vda
            cat /proc/partitions > partitions
            """, TimeSpan.FromMinutes(3));

        Assert.That(exit, Is.EqualTo(0), lab.ReadResult("output.log"));
        Assert.That(lab.ReadResult("uname").Trim(), Is.EqualTo(VmLab.KernelVersion));
        // /proc/partitions counts 1 KiB blocks: vda1 = 32768 sectors, vda2 = the rest of 131072 sectors.
        var partitions = lab.ReadResult("partitions");
        Assert.That(partitions, Does.Match(@"\s\d+\s+\d+\s+65536 vda\n"));
        Assert.That(partitions, Does.Match(@"\s\d+\s+\d+\s+16384 vda1\n"));
        Assert.That(partitions, Does.Match(@"\s\d+\s+\d+\s+48128 vda2\n"));

        // The host reads the MBR the guest wrote (partition entries at 446, 16 bytes each; signature 55 AA at 510).
        var mbr = new byte[512];
        using (var f = File.OpenRead(disk)) f.ReadExactly(mbr);
        Assert.That(mbr[510..512], Is.EqualTo(new byte[] { 0x55, 0xAA }));
        Assert.That(mbr[446 + 4], Is.EqualTo(0x83));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(mbr.AsSpan(446 + 8)), Is.EqualTo(2048));
        Assert.That(mbr[462 + 4], Is.EqualTo(0x8E));
        TestContext.Out.WriteLine($"lab run took {lab.Machine!.Elapsed.TotalSeconds:0.0} s under TCG");
    }
}
