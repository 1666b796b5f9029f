using NUnit.Framework;
using RescueKit.Formats.Fat;

namespace RescueKit.Formats.Tests.Fat;

/// <summary>A tree with short, lower-case, long and colliding names, nested directories, an empty file and a
/// multi-cluster host file, shared by the FAT tests.</summary>
internal sealed class FatSample
{
    public static readonly DateTime Timestamp = new(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc);
    public const uint VolumeId = 0x1234ABCD;

    public byte[] BootLoader { get; } = Random(200_000, 1);
    public byte[] Big { get; } = Random(3 * 1024 * 1024 + 123, 2);
    public string BigHostPath { get; }

    /// <summary>FAT path → content, for every file in the sample.</summary>
    public Dictionary<string, byte[]> Files { get; } = new();

    public FatSample(string tempDir)
    {
        BigHostPath = Path.Combine(tempDir, "big-host.bin");
        File.WriteAllBytes(BigHostPath, Big);
        Files["EFI/BOOT/BOOTX64.EFI"] = BootLoader;
        Files["boot/grub/grub.cfg"] = "echo GRUB EFI BOOT OK\nhalt\n"u8.ToArray();
        Files["A long file name.txt"] = "hello\n"u8.ToArray();
        Files["docs/Mixed Case Long File Name.txt"] = "mixed\n"u8.ToArray();
        Files["docs/Long Name One.txt"] = "one\n"u8.ToArray();
        Files["docs/Long Name Two.txt"] = "two\n"u8.ToArray();
        Files["docs/Boot.efi"] = "mixed-case 8.3\n"u8.ToArray();
        Files["a/b/c/deep.txt"] = "deep\n"u8.ToArray();
        Files["empty.txt"] = [];
        Files["README"] = "upper-case 8.3\n"u8.ToArray();
        Files["data/big.bin"] = Big;
    }

    public FatImageBuilder CreateBuilder(FatType? type = null)
    {
        var builder = new FatImageBuilder("EFIBOOT", VolumeId, Timestamp) { Type = type };
        builder.AddDirectory("EFI/BOOT");
        builder.AddDirectory("empty-dir");
        foreach (var (path, content) in Files)
        {
            if (path == "data/big.bin") builder.AddFile(path, BigHostPath);
            else builder.AddFile(path, content);
        }
        return builder;
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
