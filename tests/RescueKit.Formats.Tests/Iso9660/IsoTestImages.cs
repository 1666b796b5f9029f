using NUnit.Framework;
using RescueKit.Formats.Iso9660;

namespace RescueKit.Formats.Tests.Iso9660;

/// <summary>Small in-memory images and helpers shared by the ISO tests.</summary>
internal static class IsoTestImages
{
    public static readonly DateTimeOffset Stamp = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    public static UnixMetadata Meta(string octalMode, int uid = 0, int gid = 0) =>
        new(Convert.ToInt32(octalMode, 8), uid, gid, Stamp);

    public static IsoBuilder NewBuilder(string volumeId = "TEST_ISO") =>
        new(new IsoOptions { VolumeIdentifier = volumeId, Timestamp = Stamp });

    /// <summary>A fake isolinux.bin: 5000 bytes of a fixed pattern with the hybrid magic at 0x40.</summary>
    public static byte[] FakeIsolinux()
    {
        var bytes = new byte[5000];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 7 + 3);
        new byte[] { 0xFB, 0xC0, 0x78, 0x70 }.CopyTo(bytes, 0x40);
        return bytes;
    }

    /// <summary>A tree with BIOS + UEFI boot entries and a hybrid MBR whose code area is a recognisable pattern.</summary>
    public static IsoBuilder BootableBuilder(byte[] isolinux, int efiSize = 3 * 512 + 1)
    {
        var b = NewBuilder();
        b.AddFile("isolinux/isolinux.bin", isolinux, Meta("444"));
        b.AddFile("boot/grub/efiboot.img", new byte[efiSize], Meta("444"));
        b.AddFile("docs/readme.txt", "hello\n"u8.ToArray(), Meta("644"));
        b.Boot = new ElToritoOptions
        {
            BiosBootImage = "isolinux/isolinux.bin",
            EfiBootImage = "boot/grub/efiboot.img",
            HybridMbr = Enumerable.Range(0, 512).Select(i => (byte)(i ^ 0x5A)).ToArray(),
        };
        return b;
    }

    public static byte[] Build(IsoBuilder b)
    {
        using var ms = new MemoryStream();
        b.WriteTo(ms);
        return ms.ToArray();
    }

    public static byte[] Block(byte[] image, long lba) => image.AsSpan((int)(lba * 2048), 2048).ToArray();
}
