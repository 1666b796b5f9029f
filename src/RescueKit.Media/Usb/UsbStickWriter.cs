using System.Globalization;
using RescueKit.Formats.Fat;
using RescueKit.Formats.PartitionTables;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Media.Usb;

/// <summary>
/// Writes a RescueKit stick without mounting anything (docs/usb.md): the FAT32 boot slot with the in-house FAT writer,
/// SYSLINUX into it with the mtools-based `syslinux --offset`, the ext4 data partition with `mke2fs -E offset=`, the
/// GPT and protective MBR with the in-house writer. <paramref name="path"/> is what the tools open (the device or the
/// image file); <c>disk</c> is a read-write stream on the same bytes.
/// </summary>
internal sealed class UsbStickWriter(IToolRunner runner, ILogger log, string path)
{
    /// <summary>Sectors zeroed at the start of a slot that stops being one: the FAT32 boot sector, FSInfo and their
    /// copies at sectors 6 and 7, so neither blkid, GRUB's search nor firmware sees a file system there any more.</summary>
    public const int SlotHeadBytes = 16 * 512;

    /// <summary>
    /// A new stick, everything on it lost. The old partition tables go first and the new ones last, so a write that
    /// stops half-way leaves a disk no one takes for a RescueKit stick (or for what it was before).
    /// </summary>
    public void WriteNew(Stream disk, UsbLayout layout, FatImageBuilder esp, byte[] mbrCode, CancellationToken cancellationToken)
    {
        var zeros = new byte[UsbLayout.Alignment];
        WriteAt(disk, 0, zeros);
        WriteAt(disk, layout.DiskBytes - GptDisk.TableBytes, new byte[GptDisk.TableBytes]);
        Sync(disk);

        WriteSlot(disk, layout, 0, esp, cancellationToken);
        WriteAt(disk, layout.SlotStart(1), new byte[SlotHeadBytes]);
        cancellationToken.ThrowIfCancellationRequested();
        MakeDataFileSystem(layout, cancellationToken);

        var table = layout.Table(Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()], active: 0);
        WriteAt(disk, table.BackupOffset, table.BackupTable());
        WriteAt(disk, GptDisk.SectorSize, table.PrimaryTable());
        WriteAt(disk, 0, table.ProtectiveMbr(mbrCode));
        Sync(disk);
        log.Information("Wrote a new RescueKit stick on {Path}: two {Slot} boot slots, a {Data} data partition", path,
            UsbLayout.Size(layout.SlotBytes), UsbLayout.Size(layout.DataBytes));
    }

    /// <summary>
    /// New boot files on a RescueKit stick, its data partition untouched: the spare slot is written and made bootable
    /// first, then the GPT switches the two slots' roles (the backup table first, then the primary, each a few sectors),
    /// then the old slot's boot sector is cleared. Until the switch the old slot boots as before; a write that fails
    /// before or during the switch leaves it, the table firmware reads (primary, or the backup when the primary is torn)
    /// and every byte of the data partition as they were, or the new slot complete and chosen.
    /// </summary>
    public void Update(Stream disk, GptDisk table, UsbLayout layout, int active, FatImageBuilder esp, CancellationToken cancellationToken)
    {
        var spare = 1 - active;
        WriteSlot(disk, layout, spare, esp, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        var switched = layout.Table(table.DiskGuid, [.. table.Partitions.Select(p => p.UniquePartitionGuid)], spare);
        WriteAt(disk, switched.BackupOffset, switched.BackupTable());
        Sync(disk);
        WriteAt(disk, GptDisk.SectorSize, switched.PrimaryTable());
        Sync(disk);
        WriteAt(disk, layout.SlotStart(active), new byte[SlotHeadBytes]);
        Sync(disk);
        log.Information("Updated the boot files of {Path}: slot {New} is now the ESP, the data partition is as it was", path, spare + 1);
    }

    /// <summary>BPB_BkBootSec as the FAT writer sets it (FatBootSectorLayout.Fat32BackupBootSector).</summary>
    private const int BackupBootSector = 6;

    private void WriteSlot(Stream disk, UsbLayout layout, int slot, FatImageBuilder esp, CancellationToken cancellationToken)
    {
        if (esp.PlannedSizeBytes != layout.SlotBytes)
            throw new InvalidOperationException($"the ESP image is {esp.PlannedSizeBytes} bytes, its slot {layout.SlotBytes}");
        disk.Seek(layout.SlotStart(slot), SeekOrigin.Begin);
        esp.WriteTo(disk);
        Sync(disk);
        cancellationToken.ThrowIfCancellationRequested();
        // The mtools-based installer writes ldlinux.sys and ldlinux.c32 into the FAT and the boot sector code over its
        // first sector, keeping the BPB: no mount (syslinux(1), --offset).
        runner.Run(["syslinux", "--install", "--offset", layout.SlotStart(slot).ToString(CultureInfo.InvariantCulture),
            "--directory", "/" + UsbEspImage.SyslinuxDirectory, path], cancellationToken: cancellationToken);
        // It leaves the backup boot sector (BPB_BkBootSec, sector 6) as the FAT writer made it; FAT32 wants the two the
        // same (fsck.fat reports the difference), so the installed sector is copied there.
        var boot = new byte[512];
        disk.Seek(layout.SlotStart(slot), SeekOrigin.Begin);
        disk.ReadExactly(boot);
        WriteAt(disk, layout.SlotStart(slot) + BackupBootSector * 512, boot);
        Sync(disk);
    }

    private void MakeDataFileSystem(UsbLayout layout, CancellationToken cancellationToken) =>
        // offset= puts the file system at the partition's start in the disk or image; the size is given, so mke2fs
        // writes nothing past the partition; nodiscard, because a discard of the device would reach the other partitions'
        // blocks on some kernels; -m 0: no blocks reserved for root on a backup disk.
        runner.Run(["mke2fs", "-q", "-F", "-t", "ext4", "-m", "0", "-L", UsbLayout.DataLabel,
            "-E", $"offset={layout.DataStart},nodiscard", path, $"{layout.DataBytes / 1024}k"], cancellationToken: cancellationToken);

    private static void WriteAt(Stream disk, long offset, byte[] bytes)
    {
        disk.Seek(offset, SeekOrigin.Begin);
        disk.Write(bytes);
    }

    private static void Sync(Stream disk)
    {
        if (disk is FileStream file) file.Flush(flushToDisk: true);
        else disk.Flush();
    }
}
