using System.Security.Cryptography;
using RescueKit.Discovery;
using RescueKit.Host;
using RescueKit.Media.Steps;
using RescueKit.Media.Usb;
using RescueKit.Tests.Shared;

namespace RescueKit.Media.Tests;

/// <summary>
/// A build context whose rescue system is small made-up files (a "kernel", an "initramfs", a GRUB binary, a module kept
/// on the medium) with the host's real SYSLINUX files, so the USB writer runs for real in seconds.
/// </summary>
internal sealed class UsbTestStick : IDisposable
{
    private readonly TempDirectory _dir = new();

    public UsbTestStick(long epochSeconds = 1_700_000_000)
    {
        var config = new RescueConfig
        {
            OutputDirectory = _dir.Combine("out"),
            HostName = "testhost",
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(epochSeconds),
            RescueBinary = _dir.Write("rescuekit", "binary"),
            Version = "0.0.0",
        };
        Context = new BuildContext(config, new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None, _dir.Path)
        {
            Kernel = new KernelImage("6.1.0-99-amd64", Random("vmlinuz", 1_500_000, epochSeconds), _dir.Path, false, null),
            InitramfsPath = Random("initrd.img", 3_000_000, epochSeconds + 1),
            BootFiles = BootFiles.Locate("/"),
            ModuleSet = new ModuleSet([], [], [], []),
            BootModuleSet = new ModuleSet([], [], [], []),
        };
        Context.EspFiles["EFI/BOOT/BOOTX64.EFI"] = Random("BOOTX64.EFI", 200_000, epochSeconds + 2);
        Context.MediaFiles["rescuekit/modules/e1000e.ko.zst"] = Random("e1000e.ko.zst", 100_000, epochSeconds + 3);
    }

    public BuildContext Context { get; }

    public string Image => _dir.Combine("stick.img");

    /// <summary>Runs the USB step as mkrescue would.</summary>
    public void Write(UsbTarget target) => new WriteUsbStep(target).Run(Context, CancellationToken.None);

    public UsbTarget NewImage(long bytes, long? dataBytes = null, bool wipe = false) => new(Image, false, bytes, dataBytes, wipe);

    public string Combine(string name) => _dir.Combine(name);

    private string Random(string name, int length, long seed)
    {
        var bytes = new byte[length];
        new Random((int)seed).NextBytes(bytes);
        var path = _dir.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>SHA-256 of <paramref name="length"/> bytes of <paramref name="path"/> from <paramref name="offset"/>.</summary>
    public static string Hash(string path, long offset, long length)
    {
        using var f = File.OpenRead(path);
        f.Seek(offset, SeekOrigin.Begin);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        while (length > 0)
        {
            var n = f.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (n == 0) break;
            sha.AppendData(buffer, 0, n);
            length -= n;
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>Copies a byte range of the image into its own file (dd), for tools that read a file system from offset 0.</summary>
    public string Extract(long offset, long length, string name)
    {
        var output = _dir.Combine(name);
        ExternalTool.Run("dd", "coreutils", [$"if={Image}", $"of={output}", "bs=1M", $"skip={offset / UsbLayout.MiB}",
            $"count={length / UsbLayout.MiB}", "conv=sparse", "status=none"]);
        return output;
    }

    /// <summary>Writes a file extracted with <see cref="Extract"/> back at its offset.</summary>
    public void PutBack(string file, long offset) =>
        ExternalTool.Run("dd", "coreutils", [$"if={file}", $"of={Image}", "bs=1M", $"seek={offset / UsbLayout.MiB}", "conv=notrunc", "status=none"]);

    public void Dispose() => _dir.Dispose();
}
