using NUnit.Framework;
using System.Text;
using RescueKit.Formats.Cpio;

namespace RescueKit.Formats.Tests.Cpio;

/// <summary>A small initramfs-like archive with every member kind, shared by the unit and oracle tests.</summary>
internal static class NewcSample
{
    public const long MTime = 1_700_000_000;

    public static readonly byte[] InitScript = Encoding.ASCII.GetBytes("#!/bin/sh\necho hello from init\nexec /bin/sh\n");
    public static readonly byte[] LinkedContent = Encoding.ASCII.GetBytes("one inode, two names\n");
    public static readonly byte[] BigContent = MakeRandom(300_001, seed: 7);

    public static readonly string[] Names =
    [
        ".", "bin", "bin/busybox", "bin/sh", "bin/link-a", "bin/link-b", "big.bin", "dev", "dev/console", "dev/sda",
        "home", "home/user", "home/user/notes.txt", "init", "odd name with spaces",
    ];

    public static byte[] Build(Func<Stream, Stream>? wrap = null)
    {
        var ms = new MemoryStream();
        var target = wrap?.Invoke(ms) ?? ms;
        using (var w = new NewcWriter(target, leaveOpen: wrap is null))
        {
            w.AddDirectory(".", 0x1ED, MTime);
            w.AddDirectory("bin", 0x1ED, MTime);
            w.AddFile("bin/busybox", 0x1ED, MTime, "not really busybox\n"u8);
            w.AddSymlink("bin/sh", "busybox", MTime);
            w.AddHardLinks(["bin/link-a", "bin/link-b"], 0x1A4, MTime, new MemoryStream(LinkedContent), LinkedContent.Length);
            w.AddFile("big.bin", 0x1A4, MTime, new MemoryStream(BigContent), BigContent.Length);
            w.AddDirectory("dev", 0x1ED, MTime);
            w.AddDevice("dev/console", isBlockDevice: false, 0x180, 5, 1, MTime);
            w.AddDevice("dev/sda", isBlockDevice: true, 0x1B0, 8, 0, MTime);
            w.AddDirectory("home", 0x1ED, MTime);
            w.AddDirectory("home/user", 0x1C0, MTime, uid: 1000, gid: 100);
            w.AddFile("home/user/notes.txt", 0x180, MTime, "private\n"u8, uid: 1000, gid: 100);
            w.AddFile("init", 0x1ED, MTime, InitScript);
            w.AddFile("odd name with spaces", 0x1A4, MTime, ReadOnlySpan<byte>.Empty);
        }
        return ms.ToArray();
    }

    private static byte[] MakeRandom(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
