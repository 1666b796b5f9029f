using NUnit.Framework;
using RescueKit.Formats.PartitionTables;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.PartitionTables;

/// <summary>The whole-disk GPT writer, read back by sgdisk and by its own reader (with the backup taken when the primary is torn).</summary>
public class GptDiskTests
{
    private const ulong Sectors = 64 * 2048; // 64 MiB

    private static GptDisk Disk() => new(Guid.Parse("11111111-2222-4333-8444-555555555555"), Sectors,
    [
        new(GptPartitionTypes.EfiSystem, Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001"), 2048, 22527, GptPartitionEntry.LegacyBiosBootable, "RESCUEKIT-BOOT"),
        new(GptPartitionTypes.LinuxFilesystem, Guid.Parse("aaaaaaaa-0000-4000-8000-000000000002"), 22528, Sectors - 2049, 0, "data"),
    ]);

    private static string WriteImage(GptDisk disk, string directory)
    {
        var path = Path.Combine(directory, "disk.img");
        using var f = File.Create(path);
        f.SetLength((long)Sectors * 512);
        f.Write(disk.ProtectiveMbr(new byte[440]));
        f.Write(disk.PrimaryTable());
        f.Seek(disk.BackupOffset, SeekOrigin.Begin);
        f.Write(disk.BackupTable());
        return path;
    }

    [Test]
    public void Sgdisk_FindsNoProblems_AndReadsThePartitions()
    {
        var dir = Directory.CreateTempSubdirectory("rk-gpt-").FullName;
        try
        {
            var image = WriteImage(Disk(), dir);
            Assert.That(ExternalTool.RunOk("sgdisk", "gdisk", ["-v", image]), Does.Contain("No problems found"));
            var print = ExternalTool.RunOk("sgdisk", "gdisk", ["-p", image]);
            Assert.That(print, Does.Contain("11111111-2222-4333-8444-555555555555"));
            Assert.That(print, Does.Match(@"1\s+2048\s+22527\s+10\.0 MiB\s+EF00\s+RESCUEKIT-BOOT"));
            Assert.That(ExternalTool.RunOk("sgdisk", "gdisk", ["-A", "1:show", image]), Does.Contain("legacy BIOS bootable"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void Read_TakesThePrimary_ThenTheBackupWhenThePrimaryIsTorn_ElseNull()
    {
        var disk = Disk();
        using var ms = new MemoryStream(new byte[(long)Sectors * 512]);
        Assert.That(GptDisk.Read(ms, ms.Length), Is.Null);

        ms.Seek(512, SeekOrigin.Begin);
        ms.Write(disk.PrimaryTable());
        ms.Seek(disk.BackupOffset, SeekOrigin.Begin);
        ms.Write(disk.BackupTable());
        var read = GptDisk.Read(ms, ms.Length)!;
        Assert.That(read.DiskGuid, Is.EqualTo(disk.DiskGuid));
        Assert.That(read.Partitions, Is.EqualTo(disk.Partitions));

        // A torn primary entry array: its CRC fails, the backup is read.
        var other = disk.With([disk.Partitions[0] with { PartitionName = "OTHER" }]);
        ms.Seek(disk.BackupOffset, SeekOrigin.Begin);
        ms.Write(other.BackupTable());
        ms.Seek(512 + 512 + 100, SeekOrigin.Begin);
        ms.WriteByte(0x5A);
        Assert.That(GptDisk.Read(ms, ms.Length)!.Partitions.Single().PartitionName, Is.EqualTo("OTHER"));

        ms.Seek(disk.BackupOffset + 3, SeekOrigin.Begin);
        ms.WriteByte(0x5A);
        Assert.That(GptDisk.Read(ms, ms.Length), Is.Null);
    }

    [Test]
    public void PartitionsOutsideTheUsableSectors_AreRefused() =>
        Assert.Throws<ArgumentException>(() => _ = new GptDisk(Guid.NewGuid(), Sectors,
            [new(GptPartitionTypes.LinuxFilesystem, Guid.NewGuid(), 2048, Sectors - 1, 0, "too far")]));
}
