using RescueKit.Core;
using RescueKit.Formats.PartitionTables;
using RescueKit.Media.Usb;
using RescueKit.Tests.Shared;

namespace RescueKit.Media.Tests;

/// <summary>
/// The USB stick as the writer lays it out, read back by independent tools: sgdisk (GPT), fsck.fat and mtools (the ESP,
/// dd'd out or at its offset), e2fsck and blkid (the data partition); updated in place with a file on the data
/// partition kept byte for byte; and the refusals.
/// </summary>
public class UsbStickTests
{
    private const long MiB = UsbLayout.MiB;
    private const long ImageBytes = 700 * MiB;

    private static string Sgdisk(params string[] args) => ExternalTool.RunOk("sgdisk", "gdisk", args).Trim();

    [Test]
    public void NewImage_HasTheGptTheEspAndTheDataPartition_AsTheToolsReadThem()
    {
        using var stick = new UsbTestStick();
        stick.Write(stick.NewImage(ImageBytes));

        Assert.That(new FileInfo(stick.Image).Length, Is.EqualTo(ImageBytes));
        Assert.That(File.Exists(stick.Image + ".partial"), Is.False);
        Assert.That(Sgdisk("-v", stick.Image), Does.Contain("No problems found"));
        var print = Sgdisk("-p", stick.Image);
        Assert.That(print, Does.Match(@"1\s+2048\s+526335\s+256\.0 MiB\s+EF00\s+RESCUEKIT-BOOT"));
        Assert.That(print, Does.Match(@"2\s+526336\s+1050623\s+256\.0 MiB\s+8301\s+RESCUEKIT-SPARE"));
        Assert.That(print, Does.Match(@"3\s+1050624\s+\d+\s+[\d.]+ MiB\s+8300\s+RESCUEKIT-DATA"));
        Assert.That(Sgdisk("-A", "1:show", stick.Image), Does.Contain("legacy BIOS bootable"));
        // The protective MBR carries SYSLINUX's gptmbr.bin, which boots the legacy-BIOS-bootable partition.
        var mbr = File.ReadAllBytes(stick.Context.BootFiles!.GptMbr);
        Assert.That(File.ReadAllBytes(stick.Image).AsSpan(0, mbr.Length).SequenceEqual(mbr), Is.True);

        var esp = stick.Extract(MiB, 256 * MiB, "esp.img");
        var fsck = ExternalTool.Run("fsck.fat", "dosfstools", ["-n", "-v", esp]);
        Assert.That(fsck.ExitCode, Is.EqualTo(0), fsck.Stdout + fsck.Stderr);
        Assert.That(fsck.Stdout, Does.Contain("32 bit entries").And.Contain("2048 hidden sectors").And.Not.Contain("differ"));
        Assert.That(ExternalTool.RunOk("blkid", "util-linux", ["-p", "-O", MiB.ToString(), "-o", "export", stick.Image]),
            Does.Contain("LABEL=RESCUEKIT").And.Contain("TYPE=vfat"));
        var dir = ExternalTool.RunOk("mdir", "mtools", ["-i", $"{stick.Image}@@{MiB}", "-/", "-a", "-b", "::/"]);
        foreach (var f in new[] { "::/EFI/BOOT/BOOTX64.EFI", "::/boot/vmlinuz", "::/boot/initrd.img", "::/boot/grub/grub.cfg",
                     "::/syslinux/syslinux.cfg", "::/syslinux/ldlinux.sys", "::/syslinux/ldlinux.c32", "::/syslinux/menu.c32",
                     "::/rescuekit/usb.json", "::/rescuekit/build.json", "::/rescuekit/modules/e1000e.ko.zst" })
            Assert.That(dir, Does.Contain(f));
        var kernel = stick.Combine("vmlinuz.back");
        ExternalTool.RunOk("mcopy", "mtools", ["-i", $"{stick.Image}@@{MiB}", "::/boot/vmlinuz", kernel]);
        Assert.That(File.ReadAllBytes(kernel), Is.EqualTo(File.ReadAllBytes(stick.Context.Kernel!.ImagePath)));

        var dataStart = MiB + 512 * MiB;
        var blkid = ExternalTool.RunOk("blkid", "util-linux", ["-p", "-O", dataStart.ToString(), "-o", "export", stick.Image]);
        Assert.That(blkid, Does.Contain("LABEL=RESCUEKIT-DATA").And.Contain("TYPE=ext4"));
        var data = stick.Extract(dataStart, ImageBytes - dataStart - MiB, "data.img");
        ExternalTool.RunOk("e2fsck", "e2fsprogs", ["-fn", data]);
        // The spare slot holds no file system a firmware, GRUB or blkid could take for the boot partition.
        var spare = ExternalTool.Run("blkid", "util-linux", ["-p", "-O", (MiB + 256 * MiB).ToString(), stick.Image]);
        Assert.That(spare.Stdout, Does.Not.Contain("TYPE="));
    }

    [Test]
    public void DataSize_IsTheDataPartitionsSize()
    {
        using var stick = new UsbTestStick();
        stick.Write(stick.NewImage(ImageBytes, dataBytes: 100 * MiB));
        Assert.That(Sgdisk("-i", "3", stick.Image), Does.Contain("Partition size: 204800 sectors (100.0 MiB)"));
    }

    [Test]
    public void Update_WritesTheSpareSlot_SwitchesOver_AndKeepsTheDataPartitionByteForByte()
    {
        using var stick = new UsbTestStick();
        stick.Write(stick.NewImage(ImageBytes));
        var dataStart = MiB + 512 * MiB;
        var dataBytes = ImageBytes - dataStart - MiB;
        var data = stick.Extract(dataStart, dataBytes, "data.img");
        var backup = stick.Combine("manifest.json");
        File.WriteAllText(backup, "{\"a backup\": true}\n");
        ExternalTool.RunOk("debugfs", "e2fsprogs", ["-w", "-R", $"write {backup} manifest.json", data]);
        stick.PutBack(data, dataStart);
        var before = UsbTestStick.Hash(stick.Image, dataStart, dataBytes);

        using var newer = new UsbTestStick(epochSeconds: 1_800_000_000);
        File.Move(stick.Image, newer.Image);
        newer.Write(newer.NewImage(ImageBytes) with { ImageBytes = null });

        Assert.That(UsbTestStick.Hash(newer.Image, dataStart, dataBytes), Is.EqualTo(before), "the data partition changed");
        Assert.That(Sgdisk("-v", newer.Image), Does.Contain("No problems found"));
        var print = Sgdisk("-p", newer.Image);
        Assert.That(print, Does.Match(@"1\s+2048\s+526335\s+256\.0 MiB\s+8301\s+RESCUEKIT-SPARE"));
        Assert.That(print, Does.Match(@"2\s+526336\s+1050623\s+256\.0 MiB\s+EF00\s+RESCUEKIT-BOOT"));
        Assert.That(Sgdisk("-A", "2:show", newer.Image), Does.Contain("legacy BIOS bootable"));
        Assert.That(Sgdisk("-A", "1:show", newer.Image), Does.Not.Contain("legacy BIOS bootable"));
        var kernel = newer.Combine("vmlinuz.back");
        ExternalTool.RunOk("mcopy", "mtools", ["-i", $"{newer.Image}@@{MiB + 256 * MiB}", "::/boot/vmlinuz", kernel]);
        Assert.That(File.ReadAllBytes(kernel), Is.EqualTo(File.ReadAllBytes(newer.Context.Kernel!.ImagePath)), "the new kernel");
        var esp = newer.Extract(MiB + 256 * MiB, 256 * MiB, "esp.img");
        ExternalTool.RunOk("fsck.fat", "dosfstools", ["-n", esp]);
        var old = ExternalTool.Run("blkid", "util-linux", ["-p", "-O", MiB.ToString(), newer.Image]);
        Assert.That(old.Stdout, Does.Not.Contain("TYPE="), "the old slot still looks like a file system");

        var kept = newer.Extract(dataStart, dataBytes, "data-after.img");
        ExternalTool.RunOk("e2fsck", "e2fsprogs", ["-fn", kept]);
        var back = newer.Combine("manifest.back");
        ExternalTool.RunOk("debugfs", "e2fsprogs", ["-R", $"dump manifest.json {back}", kept]);
        Assert.That(File.ReadAllText(back), Is.EqualTo(File.ReadAllText(backup)));
    }

    /// <summary>A disk that stops taking writes after a given number of bytes, as a pulled stick does.</summary>
    private sealed class PulledStick(Stream inner, long bytesBeforeFailure) : Stream
    {
        private long _left = bytesBeforeFailure;
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            inner.Write(buffer, offset, n);
            _left -= n;
            if (n < count) { inner.Flush(); throw new IOException("No such device (the stick was pulled)"); }
        }
    }

    [TestCase(10 * MiB, TestName = "Pulled_WhileWritingTheSpareSlot_KeepsTheOldBootFilesAndTheData")]
    [TestCase(256 * MiB + 8 * 1024, TestName = "Pulled_WhileWritingTheBackupGpt_KeepsTheOldBootFilesAndTheData")]
    [TestCase(256 * MiB + GptDisk.TableBytes + 700, TestName = "Pulled_WhileWritingThePrimaryGpt_BootsOneCompleteSlotAndKeepsTheData")]
    public void Pulled(long bytesBeforeFailure)
    {
        using var stick = new UsbTestStick();
        stick.Write(stick.NewImage(ImageBytes));
        var dataStart = MiB + 512 * MiB;
        var dataBytes = ImageBytes - dataStart - MiB;
        var dataBefore = UsbTestStick.Hash(stick.Image, dataStart, dataBytes);
        var slotBefore = UsbTestStick.Hash(stick.Image, MiB, 256 * MiB);

        using var newer = new UsbTestStick(epochSeconds: 1_800_000_000);
        using (var file = new FileStream(stick.Image, FileMode.Open, FileAccess.ReadWrite))
        {
            var table = GptDisk.Read(file, ImageBytes)!;
            var (layout, active) = UsbLayout.Recognise(table, ImageBytes)!.Value;
            var esp = UsbEspImage.Compose(newer.Context, 1, layout.SlotBytes, layout.SlotStart(1));
            var writer = new UsbStickWriter(newer.Context.Runner, newer.Context.Log, stick.Image);
            Assert.Throws<IOException>(() => writer.Update(new PulledStick(file, bytesBeforeFailure), table, layout, active, esp, CancellationToken.None));
        }

        Assert.That(UsbTestStick.Hash(stick.Image, dataStart, dataBytes), Is.EqualTo(dataBefore), "the data partition changed");
        Assert.That(UsbTestStick.Hash(stick.Image, MiB, 256 * MiB), Is.EqualTo(slotBefore), "the old boot slot changed");
        using var read = File.OpenRead(stick.Image);
        var (after, activeAfter) = UsbLayout.Recognise(GptDisk.Read(read, ImageBytes)!, ImageBytes)!.Value;
        // Firmware reads the primary table, or the backup when the primary is torn: either names a complete slot.
        var esp2 = stick.Extract(after.SlotStart(activeAfter), after.SlotBytes, "booted.img");
        ExternalTool.RunOk("fsck.fat", "dosfstools", ["-n", esp2]);
        Assert.That(activeAfter, Is.EqualTo(bytesBeforeFailure < 256 * MiB + GptDisk.TableBytes ? 0 : 1));
    }

    [Test]
    public void AnImageOfSomethingElse_IsOverwrittenOnlyWithWipe()
    {
        using var stick = new UsbTestStick();
        using (var f = File.Create(stick.Image)) f.SetLength(ImageBytes);
        ExternalTool.RunOk("sgdisk", "gdisk", ["-n", "1:2048:+100M", "-c", "1:mine", stick.Image]);
        var before = UsbTestStick.Hash(stick.Image, 0, ImageBytes);

        var e = Assert.Throws<BadInputException>(() => stick.Write(stick.NewImage(ImageBytes)))!;
        Assert.That(e.Message, Does.Contain("is not a RescueKit stick").And.Contain("--wipe"));
        Assert.That(UsbTestStick.Hash(stick.Image, 0, ImageBytes), Is.EqualTo(before));

        stick.Write(stick.NewImage(ImageBytes, wipe: true));
        Assert.That(Sgdisk("-p", stick.Image), Does.Contain("RESCUEKIT-BOOT"));
    }

    [Test]
    public void TooSmall_SaysHowBigItMustBe_AndLeavesNoFile()
    {
        using var stick = new UsbTestStick();
        var e = Assert.Throws<BadInputException>(() => stick.Write(stick.NewImage(300 * MiB)))!;
        Assert.That(e.Message, Does.Contain("needs at least 578 MiB (606076928 bytes)"));
        Assert.That(File.Exists(stick.Image), Is.False);
        Assert.That(File.Exists(stick.Image + ".partial"), Is.False);

        var d = Assert.Throws<BadInputException>(() => stick.Write(stick.NewImage(ImageBytes, dataBytes: 500 * MiB)))!;
        Assert.That(d.Message, Does.Contain("a smaller --data-size"));
    }

    [Test]
    public void ARescueKitImage_GivenAnotherSize_IsRefused()
    {
        using var stick = new UsbTestStick();
        stick.Write(stick.NewImage(ImageBytes));
        var e = Assert.Throws<BadInputException>(() => stick.Write(stick.NewImage(800 * MiB)))!;
        Assert.That(e.Message, Does.Contain("leave --size out"));
        Assert.That(new FileInfo(stick.Image).Length, Is.EqualTo(ImageBytes));
    }

    [Test]
    public void ALabelLongerThanAFatLabel_IsRefused()
    {
        using var stick = new UsbTestStick();
        var context = new BuildContext(stick.Context.Config with { Label = "RESCUEKIT_LONG" }, stick.Context.Runner, stick.Context.Log, stick.Context.WorkDirectory);
        var e = Assert.Throws<BadInputException>(() => UsbEspImage.Compose(context, 0, 0, MiB))!;
        Assert.That(e.Message, Does.Contain("at most 11"));
    }
}
